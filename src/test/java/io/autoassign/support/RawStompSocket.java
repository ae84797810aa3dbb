package io.autoassign.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket on a bare socket to {@code /ws} that sends any bytes as STOMP frames (broken
 * ones included) and reads what the server answers: the STOMP commands of its frames, and
 * whether it closed the connection. Unlike {@link StompTestClient} it never fixes up a frame.
 */
public final class RawStompSocket implements AutoCloseable {

	/** WebSocket opcodes. */
	public static final int TEXT = 0x1;

	public static final int BINARY = 0x2;

	private static final int CLOSE = 0x8;

	private static final int PING = 0x9;

	private final Socket socket;

	private final InputStream in;

	private RawStompSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	public static RawStompSocket open(String base) {
		URI uri = URI.create(base);
		try {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
			socket.setSoTimeout(10_000);
			byte[] key = new byte[16];
			ThreadLocalRandom.current().nextBytes(key);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /ws HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
					+ Base64.getEncoder().encodeToString(key)
					+ "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			RawStompSocket raw = new RawStompSocket(socket);
			String response = raw.readHttpHead();
			if (!response.startsWith("HTTP/1.1 101")) {
				socket.close();
				throw new IllegalStateException("No WebSocket upgrade: " + response);
			}
			return raw;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What the server did in answer: the STOMP commands it sent, and whether it closed. */
	public record Answer(List<String> commands, List<String> frames, boolean closed) {

		public boolean refused() {
			return this.closed || this.commands.contains("ERROR");
		}

	}

	public RawStompSocket send(String frame) {
		return send(TEXT, frame.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends one WebSocket message (masked, as a client must). */
	public RawStompSocket send(int opcode, byte[] payload) {
		try {
			ByteArrayOutputStream message = new ByteArrayOutputStream();
			message.write(0x80 | opcode);
			if (payload.length < 126) {
				message.write(0x80 | payload.length);
			}
			else if (payload.length < 65536) {
				message.write(0x80 | 126);
				message.write((payload.length >> 8) & 0xff);
				message.write(payload.length & 0xff);
			}
			else {
				message.write(0x80 | 127);
				for (int shift = 56; shift >= 0; shift -= 8) {
					message.write((int) (((long) payload.length >> shift) & 0xff));
				}
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
		catch (IOException ex) {
			// the server has closed already; await() reports it
		}
		return this;
	}

	/**
	 * Reads the server's frames until one has {@code command} or the connection closes, for at
	 * most {@code timeout} (the socket's read timeout: a deadline, not a wait).
	 */
	public Answer await(String command, Duration timeout) {
		List<String> commands = new ArrayList<>();
		List<String> frames = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
				int first = this.in.read();
				if (first < 0) {
					return new Answer(commands, frames, true);
				}
				int opcode = first & 0x0f;
				byte[] payload = readPayload();
				if (opcode == CLOSE) {
					return new Answer(commands, frames, true);
				}
				if (opcode == PING || (opcode != TEXT && opcode != BINARY)) {
					continue;
				}
				String text = new String(payload, StandardCharsets.UTF_8);
				String stomp = text.stripLeading();
				if (stomp.isEmpty()) {
					continue; // a heartbeat
				}
				String frameCommand = stomp.substring(0, Math.max(0, stomp.indexOf('\n')));
				commands.add(frameCommand);
				frames.add(text);
				if (frameCommand.equals(command)) {
					return new Answer(commands, frames, false);
				}
			}
		}
		catch (SocketTimeoutException ex) {
			// deadline
		}
		catch (IOException ex) {
			return new Answer(commands, frames, true);
		}
		return new Answer(commands, frames, false);
	}

	private byte[] readPayload() throws IOException {
		int second = this.in.read();
		if (second < 0) {
			throw new IOException("closed");
		}
		long length = second & 0x7f;
		if (length == 126) {
			length = (this.in.read() << 8) | this.in.read();
		}
		else if (length == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | this.in.read();
			}
		}
		return this.in.readNBytes((int) length);
	}

	private String readHttpHead() throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closed
		}
	}

}
