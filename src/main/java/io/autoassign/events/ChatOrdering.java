package io.autoassign.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Delivers each chat's events in the order of their transactions, on every node.
 * <p>
 * Transactions on one chat are serialized by its row lock and number their events
 * consecutively; but their after-commit publications race, so the events of a later
 * transaction can arrive first. An event whose predecessor has not been seen waits for it, at
 * most {@link #MAX_WAIT} (its publisher may have died between commit and publication), then
 * goes out anyway; when this node knows nothing of the chat yet (it started after the chat's
 * first events), the wait is {@link #UNKNOWN_WAIT}. Events of the same transaction share a
 * number and keep their order.
 */
@Component
class ChatOrdering implements DisposableBean {

	/** How long an event waits for its chat's previous one. */
	static final Duration MAX_WAIT = Duration.ofSeconds(2);

	/** How long an event of a chat this node has not seen before waits for a predecessor. */
	static final Duration UNKNOWN_WAIT = Duration.ofMillis(200);

	/** Chats whose last delivered number is remembered (least recently used ones are forgotten). */
	static final int REMEMBERED_CHATS = 100_000;

	private record Waiting(long sequence, List<Runnable> deliveries, long deadline) {
	}

	private final Map<String, Long> delivered = new LinkedHashMap<>(1024, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > REMEMBERED_CHATS;
		}
	};

	private final Map<String, TreeMap<Long, Waiting>> waiting = new LinkedHashMap<>();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "chat-event-ordering");
		thread.setDaemon(true);
		return thread;
	});

	ChatOrdering() {
		this.timer.scheduleWithFixedDelay(this::releaseOverdue, 50, 50, TimeUnit.MILLISECONDS);
	}

	/**
	 * Runs {@code delivery} now or once the chat's earlier events have gone out.
	 * @param chatKey company and chat; {@code null} for events about no single chat
	 */
	synchronized void submit(String chatKey, long sequence, Runnable delivery) {
		if (chatKey == null || sequence <= 0) {
			delivery.run();
			return;
		}
		Long last = this.delivered.get(chatKey);
		boolean next = (last == null) ? sequence == 1 : sequence <= last + 1;
		if (next) {
			delivery.run();
			if (last == null || sequence > last) {
				this.delivered.put(chatKey, sequence);
			}
			drain(chatKey);
			return;
		}
		long wait = (last == null ? UNKNOWN_WAIT : MAX_WAIT).toNanos();
		this.waiting.computeIfAbsent(chatKey, (k) -> new TreeMap<>())
			.computeIfAbsent(sequence, (s) -> new Waiting(s, new ArrayList<>(), System.nanoTime() + wait))
			.deliveries()
			.add(delivery);
	}

	/** Delivers what waited for the events just delivered. */
	private void drain(String chatKey) {
		TreeMap<Long, Waiting> queue = this.waiting.get(chatKey);
		while (queue != null && !queue.isEmpty()) {
			long last = this.delivered.getOrDefault(chatKey, 0L);
			Map.Entry<Long, Waiting> first = queue.firstEntry();
			if (first.getKey() > last + 1) {
				return;
			}
			queue.pollFirstEntry();
			first.getValue().deliveries().forEach(Runnable::run);
			this.delivered.put(chatKey, Math.max(last, first.getKey()));
		}
		this.waiting.remove(chatKey);
	}

	/** Lets events go that waited too long for a predecessor that is not coming. */
	synchronized void releaseOverdue() {
		long now = System.nanoTime();
		for (String chatKey : new ArrayList<>(this.waiting.keySet())) {
			TreeMap<Long, Waiting> queue = this.waiting.get(chatKey);
			Waiting first = queue.firstEntry().getValue();
			if (now - first.deadline() >= 0) {
				this.delivered.put(chatKey, first.sequence() - 1);
				drain(chatKey);
			}
		}
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

}
