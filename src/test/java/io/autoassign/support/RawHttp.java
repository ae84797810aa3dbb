package io.autoassign.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a bare socket, for requests that well-behaved clients refuse to send:
 * any bytes in the request line (unencoded unicode, NUL, encoded slashes), any Content-Type or
 * none, and bodies sent with {@code Transfer-Encoding: chunked} in chunks of a chosen size.
 * One request per connection ({@code Connection: close}); the response is read to the end.
 */
public final class RawHttp {

	private final String host;

	private final int port;

	public RawHttp(String base) {
		java.net.URI uri = java.net.URI.create(base);
		this.host = uri.getHost();
		this.port = uri.getPort();
	}

	/** A request: {@code target} goes into the request line as it is (ISO-8859-1 bytes of the string). */
	public record Request(String method, byte[] target, List<String[]> headers, byte[] body, int chunkSize) {

		public static Request of(String method, String target, byte[] body) {
			return new Request(method, target.getBytes(StandardCharsets.UTF_8), List.of(), body, 0);
		}

		public Request withHeaders(List<String[]> headers) {
			return new Request(this.method, this.target, headers, this.body, this.chunkSize);
		}

		/** Sends the body chunked in pieces of {@code size} bytes (0: with a Content-Length). */
		public Request chunked(int size) {
			return new Request(this.method, this.target, this.headers, this.body, size);
		}

		@Override
		public String toString() {
			String shownBody = this.body == null ? "(none)"
					: this.body.length > 300 ? this.body.length + " bytes: "
							+ new String(this.body, 0, 300, StandardCharsets.ISO_8859_1) + "..."
							: new String(this.body, StandardCharsets.ISO_8859_1);
			StringBuilder text = new StringBuilder(this.method).append(' ')
				.append(new String(this.target, StandardCharsets.ISO_8859_1));
			this.headers.forEach((h) -> text.append(" [").append(h[0]).append(": ").append(h[1]).append(']'));
			if (this.chunkSize > 0) {
				text.append(" [chunked by ").append(this.chunkSize).append(']');
			}
			return text.append(' ').append(shownBody).toString();
		}

	}

	public record Response(int status, Map<String, String> headers, byte[] body) {

		public String contentType() {
			return this.headers.get("content-type");
		}

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			String text = text();
			return this.status + " " + contentType() + " " + (text.length() > 400 ? text.substring(0, 400) : text);
		}

	}

	public Response send(Request request, String authorization) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 5000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			head.write(request.method().getBytes(StandardCharsets.US_ASCII));
			head.write(' ');
			head.write(request.target());
			head.write(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
			header(head, "Host", this.host + ":" + this.port);
			header(head, "Connection", "close");
			if (authorization != null) {
				header(head, "Authorization", authorization);
			}
			for (String[] h : request.headers()) {
				header(head, h[0], h[1]);
			}
			if (request.body() != null) {
				if (request.chunkSize() > 0) {
					header(head, "Transfer-Encoding", "chunked");
				}
				else {
					header(head, "Content-Length", Integer.toString(request.body().length));
				}
			}
			head.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			out.write(head.toByteArray());
			if (request.body() != null) {
				writeBody(out, request.body(), request.chunkSize());
			}
			out.flush();
			return read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request failed: " + request + ": " + ex, ex);
		}
	}

	private static void writeBody(OutputStream out, byte[] body, int chunkSize) throws IOException {
		if (chunkSize <= 0) {
			out.write(body);
			return;
		}
		try {
			for (int offset = 0; offset < body.length; offset += chunkSize) {
				int length = Math.min(chunkSize, body.length - offset);
				out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
				out.write(body, offset, length);
				out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// The server may answer (e.g. 413) and close before it has read the whole body.
		}
	}

	private static void header(ByteArrayOutputStream head, String name, String value) throws IOException {
		head.write((name + ": ").getBytes(StandardCharsets.US_ASCII));
		head.write(value.getBytes(StandardCharsets.UTF_8));
		head.write("\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	private static Response read(InputStream in) throws IOException {
		int status;
		Map<String, String> headers;
		do {
			// interim answers (100 Continue) come before the final one
			String statusLine = line(in);
			if (statusLine == null) {
				throw new IOException("The server closed the connection without an answer");
			}
			status = Integer.parseInt(statusLine.split(" ")[1]);
			headers = new LinkedHashMap<>();
			for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
		while (status >= 100 && status < 200);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			for (String size = line(in); size != null; size = line(in)) {
				int length = Integer.parseInt(size.split(";")[0].trim(), 16);
				if (length == 0) {
					break;
				}
				body.write(in.readNBytes(length));
				line(in);
			}
		}
		else if (headers.containsKey("content-length")) {
			body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
		}
		else {
			body.write(in.readAllBytes());
		}
		return new Response(status, headers, body.toByteArray());
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
	}

}
