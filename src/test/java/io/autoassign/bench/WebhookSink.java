package io.autoassign.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's webhook endpoint: a minimal HTTP/1.1 server on a loopback port (blocking, one
 * thread per connection, keep-alive), answering 204 to every request, counting them and noting
 * each event's lag (its {@code occurredAt} to its arrival). It is deliberately lean: it shares
 * the machine's two cores with the service it measures, and the JDK's own HTTP server cost about
 * half a core-millisecond per request, a third of what one webhook endpoint added per chat
 * (2026-12-03). The failover run also uses it: it keeps the event ids, and may hold requests for
 * a while ({@link #hold}) so that deliveries are under way when a node dies.
 */
public final class WebhookSink implements AutoCloseable {

	private static final Pattern OCCURRED_AT = Pattern.compile("\"occurredAt\":\"([^\"]+)\"");

	private static final byte[] NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket server;

	private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "webhook-sink");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicLong received = new AtomicLong();

	private final List<Long> lags = Collections.synchronizedList(new ArrayList<>());

	private final Set<String> eventIds = ConcurrentHashMap.newKeySet();

	private final AtomicLong held = new AtomicLong();

	private volatile CountDownLatch hold = new CountDownLatch(0);

	private volatile boolean open = true;

	private WebhookSink() throws IOException {
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	public static WebhookSink start() {
		try {
			return new WebhookSink();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort() + "/hook";
	}

	public long received() {
		return this.received.get();
	}

	/** The ids of the events received (each event id once, however often it arrived). */
	public Set<String> eventIds() {
		return Set.copyOf(this.eventIds);
	}

	/** Holds every request from now on until {@link #release}. */
	public void hold() {
		this.hold = new CountDownLatch(1);
	}

	/** Requests waiting in {@link #hold} now. */
	public long held() {
		return this.held.get();
	}

	public void release() {
		this.hold.countDown();
	}

	double lagPercentile(int percentile) {
		List<Long> sorted;
		synchronized (this.lags) {
			sorted = new ArrayList<>(this.lags);
		}
		if (sorted.isEmpty()) {
			return 0;
		}
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
	}

	void resetLags() {
		this.lags.clear();
	}

	private void accept() {
		while (this.open) {
			try {
				Socket socket = this.server.accept();
				socket.setTcpNoDelay(true);
				this.threads.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				// closed, or one failed accept: the loop ends when the sink is closed
			}
		}
	}

	/** One connection: requests one after another until the client closes it. */
	private void serve(Socket socket) {
		try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
				OutputStream out = socket.getOutputStream()) {
			while (this.open) {
				Request request = Request.read(in);
				if (request == null) {
					return;
				}
				handle(request);
				out.write(NO_CONTENT);
				out.flush();
				if (request.close()) {
					return;
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private void handle(Request request) {
		if (request.eventId() != null) {
			this.eventIds.add(request.eventId());
		}
		CountDownLatch gate = this.hold;
		if (gate.getCount() > 0) {
			this.held.incrementAndGet();
			try {
				gate.await(2, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.held.decrementAndGet();
			}
		}
		long now = System.currentTimeMillis();
		Matcher occurred = OCCURRED_AT.matcher(request.body());
		if (occurred.find()) {
			try {
				this.lags.add(now - Instant.parse(occurred.group(1)).toEpochMilli());
			}
			catch (DateTimeParseException ex) {
				// counted, without a lag
			}
		}
		this.received.incrementAndGet();
	}

	/** What the sink reads of a request: its event id header, its body, whether to close after it. */
	private record Request(String eventId, String body, boolean close) {

		/** The next request of the connection, or {@code null} when the client closed it. */
		static Request read(InputStream in) throws IOException {
			String line = line(in);
			while (line != null && line.isEmpty()) {
				line = line(in); // stray line breaks between requests
			}
			if (line == null) {
				return null;
			}
			int length = 0;
			String eventId = null;
			boolean close = false;
			for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
				int colon = header.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String name = header.substring(0, colon).trim();
				String value = header.substring(colon + 1).trim();
				if (name.equalsIgnoreCase("Content-Length")) {
					length = Integer.parseInt(value);
				}
				else if (name.equalsIgnoreCase("X-AutoAssign-Event-Id")) {
					eventId = value;
				}
				else if (name.equalsIgnoreCase("Connection")) {
					close = value.equalsIgnoreCase("close");
				}
			}
			byte[] body = in.readNBytes(length);
			if (body.length < length) {
				return null;
			}
			return new Request(eventId, new String(body, StandardCharsets.UTF_8), close);
		}

		/** One line without its CRLF, or {@code null} at the end of the stream. */
		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder(64);
			int c;
			while ((c = in.read()) != -1) {
				if (c == '\n') {
					int end = line.length();
					if (end > 0 && line.charAt(end - 1) == '\r') {
						line.setLength(end - 1);
					}
					return line.toString();
				}
				line.append((char) c);
			}
			return line.length() == 0 ? null : line.toString();
		}

	}

	@Override
	public void close() {
		this.open = false;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.threads.shutdownNow();
	}

}
