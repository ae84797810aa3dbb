package io.autoassign.reliability;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/**
 * A redis-server of the test's own on a free loopback port, which the test may stop and start
 * again (empty: no snapshot, no append-only file), unlike the machine's shared Redis.
 */
public final class PrivateRedis implements AutoCloseable {

	private final int port;

	private final File log;

	private Process process;

	public PrivateRedis() throws IOException {
		this.port = freePort();
		this.log = File.createTempFile("aa-rel-redis-", ".log");
		this.log.deleteOnExit();
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	public int port() {
		return this.port;
	}

	/** Starts the server and waits until it answers PING. */
	public void start() throws IOException {
		this.process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log))
			.start();
		await("redis-server on port " + this.port).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> {
				try (Jedis jedis = new Jedis("127.0.0.1", this.port)) {
					return "PONG".equals(jedis.ping());
				}
			});
	}

	/** Stops the server (SIGTERM; with persistence off it keeps nothing) and waits for its exit. */
	public void stop() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

}
