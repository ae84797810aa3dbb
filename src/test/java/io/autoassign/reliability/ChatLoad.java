package io.autoassign.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.support.Api;

/**
 * Load on one company while a backing server fails: new chats at a fixed rate from several
 * threads, and chats closed (only chats seen ASSIGNED, so that the queue drains in its order
 * and never loses a chat to a close) at half that rate; a chat is read with an admin's token, so
 * token checks meet the failure too. Records every answer by phase; any
 * answer that is not a 2xx or a clean 503 (problem+json, Retry-After, no stack trace) is kept
 * as unexpected, as is a request that got no answer at all.
 */
final class ChatLoad implements AutoCloseable {

	/** One answer the load did not expect. */
	record Unexpected(String phase, String request, int status, String contentType, String body) {
	}

	private final Api api;

	private final String base;

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final ExecutorService workers;

	private final Semaphore inFlight;

	private final AtomicInteger sequence = new AtomicInteger();

	private volatile String phase = "before";

	/** Chats whose creation was answered with a 2xx. */
	final Set<String> created = ConcurrentHashMap.newKeySet();

	/** Chats whose close was answered with a 2xx. */
	final Set<String> closed = ConcurrentHashMap.newKeySet();

	final List<Unexpected> unexpected = Collections.synchronizedList(new ArrayList<>());

	/** phase → status → count ({@code -1}: no answer). */
	private final Map<String, Map<Integer, AtomicInteger>> answers = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> createdIn = new ConcurrentHashMap<>();

	/** Chats created with a 2xx by requests sent after the failure ended. */
	final Set<String> createdAfter = ConcurrentHashMap.newKeySet();

	private final String readerToken;

	ChatLoad(Api api, String companyId, String adminToken, int threads) {
		this.api = api;
		this.readerToken = adminToken;
		this.base = "/api/v1/companies/" + companyId;
		this.workers = Executors.newFixedThreadPool(threads);
		this.inFlight = new Semaphore(threads);
	}

	/** Starts creating {@code perSecond} chats a second (skipping ticks while every thread is busy). */
	void start(int perSecond) {
		long period = Math.max(1, 1_000_000 / perSecond);
		this.ticker.scheduleAtFixedRate(() -> submit(this::createOne), 0, period, TimeUnit.MICROSECONDS);
		this.ticker.scheduleAtFixedRate(() -> submit(this::closeOne), period / 2, period * 2, TimeUnit.MICROSECONDS);
	}

	void phase(String phase) {
		this.phase = phase;
	}

	int createdIn(String phase) {
		return this.createdIn.getOrDefault(phase, new AtomicInteger()).get();
	}

	int answeredIn(String phase) {
		return this.answers.getOrDefault(phase, Map.of()).values().stream().mapToInt(AtomicInteger::get).sum();
	}

	Map<String, Map<Integer, AtomicInteger>> answers() {
		return this.answers;
	}

	private void submit(Runnable request) {
		if (!this.inFlight.tryAcquire()) {
			return;
		}
		try {
			this.workers.execute(() -> {
				try {
					request.run();
				}
				finally {
					this.inFlight.release();
				}
			});
		}
		catch (RuntimeException ex) {
			this.inFlight.release();
		}
	}

	private void createOne() {
		String chatId = "ch-" + this.sequence.incrementAndGet();
		String phaseAtStart = this.phase;
		Api.Response response = send("POST " + chatId, "POST", this.base + "/chats",
				Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId), "message", "hello"));
		if (response != null && response.status() / 100 == 2) {
			this.created.add(chatId);
			this.createdIn.computeIfAbsent(phaseAtStart, (p) -> new AtomicInteger()).incrementAndGet();
			if (phaseAtStart.equals("after")) {
				this.createdAfter.add(chatId);
			}
		}
	}

	private void closeOne() {
		List<String> open = new ArrayList<>(this.created);
		open.removeAll(this.closed);
		if (open.isEmpty()) {
			return;
		}
		String chatId = open.get(ThreadLocalRandom.current().nextInt(open.size()));
		Api.Response chat = send("GET " + chatId, "GET", this.base + "/chats/" + chatId, null, this.readerToken);
		if (chat == null || chat.status() != 200 || !"ASSIGNED".equals(chat.text("assignmentStatus"))) {
			return;
		}
		Api.Response response = send("CLOSE " + chatId, "POST", this.base + "/chats/" + chatId + "/close", null);
		if (response != null && response.status() / 100 == 2) {
			this.closed.add(chatId);
		}
	}

	private Api.Response send(String what, String method, String path, Object body) {
		return send(what, method, path, body, this.api.platformKey());
	}

	private Api.Response send(String what, String method, String path, Object body, String bearer) {
		String phaseAtStart = this.phase;
		Api.Response response;
		try {
			response = this.api.send(method, path, body, bearer);
		}
		catch (RuntimeException ex) {
			count(phaseAtStart, -1);
			this.unexpected.add(new Unexpected(phaseAtStart, what, -1, null, ex.toString()));
			return null;
		}
		count(phaseAtStart, response.status());
		if (response.status() / 100 != 2 && !cleanUnavailable(response)) {
			this.unexpected.add(new Unexpected(phaseAtStart, what, response.status(), response.contentType(),
					response.raw().body()));
		}
		return response;
	}

	/** A 503 problem document with Retry-After that leaks no stack trace. */
	static boolean cleanUnavailable(Api.Response response) {
		String body = response.raw().body();
		return response.status() == 503 && response.contentType() != null
				&& response.contentType().startsWith("application/problem+json")
				&& response.raw().headers().firstValue("Retry-After").isPresent() && body != null
				&& !body.contains("Exception") && !body.contains("\tat ") && !body.contains("at io.autoassign");
	}

	private void count(String phase, int status) {
		this.answers.computeIfAbsent(phase, (p) -> new ConcurrentHashMap<>())
			.computeIfAbsent(status, (s) -> new AtomicInteger())
			.incrementAndGet();
	}

	/** Stops sending and waits for the requests in flight. */
	@Override
	public void close() throws InterruptedException {
		this.ticker.shutdownNow();
		this.ticker.awaitTermination(1, TimeUnit.MINUTES);
		this.workers.shutdown();
		this.workers.awaitTermination(2, TimeUnit.MINUTES);
	}

}
