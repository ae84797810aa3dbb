package io.autoassign.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket STOMP client that connects, subscribes and then never reads again, like a
 * browser tab on a dead network: what the server sends piles up in its buffers.
 */
public final class DeadStompClient implements AutoCloseable {

	private final Socket socket;

	private DeadStompClient(Socket socket) {
		this.socket = socket;
	}

	public static DeadStompClient connectAndSubscribe(String base, String token) throws IOException {
		URI uri = URI.create(base);
		Socket socket = new Socket();
		// a tiny receive window, so that the server's buffers fill quickly
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
		socket.setSoTimeout(10_000);
		OutputStream out = socket.getOutputStream();
		byte[] key = new byte[16];
		ThreadLocalRandom.current().nextBytes(key);
		out.write(("GET /ws HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
				+ "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		String response = readHeaders(socket.getInputStream());
		if (!response.startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IOException("No WebSocket upgrade: " + response);
		}
		DeadStompClient client = new DeadStompClient(socket);
		client.send("CONNECT\naccept-version:1.2\nhost:" + uri.getHost() + "\nheart-beat:0,0\nAuthorization:Bearer "
				+ token + "\n\n\0");
		client.send("SUBSCRIBE\nid:sub-0\ndestination:/user/queue/auto-assign\n\n\0");
		return client;
	}

	private void send(String frame) throws IOException {
		byte[] payload = frame.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		message.write(0x81);
		if (payload.length < 126) {
			message.write(0x80 | payload.length);
		}
		else {
			message.write(0x80 | 126);
			message.write((payload.length >> 8) & 0xff);
			message.write(payload.length & 0xff);
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		message.write(mask);
		for (int i = 0; i < payload.length; i++) {
			message.write(payload[i] ^ mask[i % 4]);
		}
		this.socket.getOutputStream().write(message.toByteArray());
		this.socket.getOutputStream().flush();
	}

	private static String readHeaders(InputStream in) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			headers.append((char) b);
		}
		return headers.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
