package io.autoassign.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint for webhook tests (the JDK's server on a loopback port): records every
 * request it gets and answers as the test says (200 by default; {@link #answering} may also
 * hold a request, e.g. on a latch). {@link #stop} and {@link #start} take it down and up again
 * on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {

	/** One request as received, with the status it was answered. */
	public record Received(Map<String, String> headers, String body, int answered) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase());
		}

		public JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private volatile Function<Received, Integer> answer = (request) -> 200;

	private HttpServer server;

	private int port;

	private WebhookReceiver() {
	}

	/** A receiver listening on a free loopback port. */
	public static WebhookReceiver started() {
		WebhookReceiver receiver = new WebhookReceiver();
		receiver.port = 0;
		receiver.start();
		return receiver;
	}

	/** Answers each request with the status {@code answer} gives (called before the request is recorded). */
	public WebhookReceiver answering(Function<Received, Integer> answer) {
		this.answer = answer;
		return this;
	}

	public String url() {
		return "http://127.0.0.1:" + this.port + "/hook";
	}

	public synchronized void start() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 50);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.port = this.server.getAddress().getPort();
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.threads);
		this.server.start();
	}

	/** Stops listening: connections are refused until {@link #start}. */
	public synchronized void stop() {
		if (this.server != null) {
			this.server.stop(0);
			this.server = null;
		}
	}

	/** Every request received so far, in arrival order. */
	public List<Received> received() {
		return new ArrayList<>(this.received);
	}

	/** The requests received for the company's events, answered 2xx or not. */
	public List<Received> of(String companyId) {
		return received().stream().filter((r) -> r.json().path("companyId").asText().equals(companyId)).toList();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			Map<String, String> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
			headers.put(":method", exchange.getRequestMethod());
			Received request = new Received(headers, body, 0);
			int status = this.answer.apply(request);
			this.received.add(new Received(headers, body, status));
			byte[] reply = (status < 300 ? "ok" : "refused on purpose").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, reply.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(reply);
			}
		}
	}

	@Override
	public void close() {
		stop();
		this.threads.shutdownNow();
	}

}
