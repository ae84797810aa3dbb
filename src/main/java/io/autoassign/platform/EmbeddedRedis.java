package io.autoassign.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Starts a real Redis server from the embedded-redis jar when nothing answers at the configured
 * address, so that the embedded run needs no installation. It keeps nothing on disk: the
 * routing state is rebuilt from the database at start anyway.
 */
class EmbeddedRedis implements InitializingBean, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

	private final String url;

	private RedisServer server;

	public EmbeddedRedis(String url) {
		this.url = url;
	}

	@Override
	public void afterPropertiesSet() throws IOException {
		URI uri = URI.create(this.url);
		String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
		int port = uri.getPort() < 0 ? 6379 : uri.getPort();
		if (answers(host, port)) {
			log.info("Using the Redis server at {}:{}", host, port);
			return;
		}
		if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
			log.warn("Nothing answers at {}:{}; an embedded Redis only starts for a local address", host, port);
			return;
		}
		this.server = RedisServer.newRedisServer()
			.bind("127.0.0.1")
			.port(port)
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		this.server.start();
		log.info("Started an embedded Redis server on 127.0.0.1:{}", port);
	}

	@Override
	public void destroy() throws IOException {
		if (this.server != null) {
			this.server.stop();
		}
	}

	boolean started() {
		return this.server != null;
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
