package io.autoassign.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.autoassign.bench.ServiceClient;

/**
 * The host platform as a well-behaved client of a cluster: spreads requests over the nodes and,
 * when a node does not answer or answers 502/503/504, tries again on the next one with a short
 * back-off. Every request is safe to repeat (chats carry client-chosen ids), so an answer lost
 * with a dying node costs nothing.
 */
final class Platform implements AutoCloseable {

	private static final int ATTEMPTS = 40;

	private final List<ServiceClient> all;

	private final List<ServiceClient> nodes = new CopyOnWriteArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicLong retries = new AtomicLong();

	private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

	Platform(List<String> bases) {
		this.all = bases.stream().map(ServiceClient::new).toList();
		this.nodes.addAll(this.all);
	}

	/** Stops sending to the node at {@code base} (its requests in flight still get retried elsewhere). */
	void drop(String base) {
		this.nodes.removeIf((node) -> node.base.equals(base));
	}

	ServiceClient any() {
		return this.nodes.get(0);
	}

	/** Sends until a final answer: answers its status, -1 when no node answered in all attempts. */
	CompletableFuture<Integer> send(String kind, String method, String path, Object body) {
		CompletableFuture<Integer> result = new CompletableFuture<>();
		attempt(method, path, body, 0, this.next.getAndIncrement(), result);
		return result.whenComplete((status, ex) -> this.answers
			.computeIfAbsent(kind + " " + (status == null ? "error" : status), (k) -> new AtomicLong())
			.incrementAndGet());
	}

	private void attempt(String method, String path, Object body, int attempt, int start,
			CompletableFuture<Integer> result) {
		List<ServiceClient> live = List.copyOf(this.nodes);
		ServiceClient node = live.get(Math.floorMod(start + attempt, live.size()));
		node.statusAsync(method, path, body).whenComplete((status, ex) -> {
			int code = status == null ? -1 : status;
			if ((code == -1 || code == 502 || code == 503 || code == 504) && attempt + 1 < ATTEMPTS) {
				this.retries.incrementAndGet();
				long backoff = Math.min(2000, 100L * (attempt + 1));
				CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
					.execute(() -> attempt(method, path, body, attempt + 1, start, result));
			}
			else {
				result.complete(code);
			}
		});
	}

	long retries() {
		return this.retries.get();
	}

	/** Final answers by request kind and status, e.g. {@code "POST chat 201" -> 19873}. */
	Map<String, Long> answers() {
		Map<String, Long> copy = new java.util.TreeMap<>();
		this.answers.forEach((k, v) -> copy.put(k, v.get()));
		return copy;
	}

	@Override
	public void close() {
		this.all.forEach(ServiceClient::close);
	}

}
