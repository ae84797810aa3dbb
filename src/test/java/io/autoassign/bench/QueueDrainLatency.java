package io.autoassign.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Queue-drain latency: capacity freed (a close) to the next queued chat's CHAT_ASSIGNED at the
 * agent's STOMP client. Every agent has a capacity of one and holds a chat; a backlog of queued
 * chats stands behind them. A close frees the one slot of its agent, so the next CHAT_ASSIGNED
 * that agent's client receives is the queue's drain into that slot; each close comes with a new
 * chat, which joins the back of the queue, so the backlog stays as long as it was.
 * <p>
 * The maximum rate is closed loop (each agent closes its chat as soon as the next arrived); the
 * latency is open loop at a fixed rate (closes on a fixed schedule, latency measured from the
 * scheduled moment). A close that failed, or whose drain did not arrive within 10 s, is an error;
 * a scheduled close for which no agent held a chat is counted as skipped.
 */
final class QueueDrainLatency {

	record Latency(double targetRate, double achievedRate, double p50, double p95, double p99, long errors,
			long lost, long skipped) {
	}

	private final ServiceClient api;

	private final String company;

	/** Agent -> the chat it holds (from its client's CHAT_ASSIGNED). */
	private final Map<String, String> holding = new ConcurrentHashMap<>();

	/** Agents holding a chat and not waiting for a drain: the ones a close may be scheduled for. */
	private final BlockingQueue<String> ready = new LinkedBlockingQueue<>();

	/** Agent -> when its close was scheduled (System.nanoTime), until its drain arrives. */
	private final Map<String, Long> waitingSince = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<long[]> drains = new ConcurrentLinkedQueue<>();

	private final AtomicLong chats = new AtomicLong();

	QueueDrainLatency(ServiceClient api, AgentSessions sessions, String company) {
		this.api = api;
		this.company = company;
		sessions.listen((r) -> {
			if (!"CHAT_ASSIGNED".equals(r.event().path("type").asText())) {
				return;
			}
			this.holding.put(r.user(), r.event().path("chatId").asText());
			Long since = this.waitingSince.remove(r.user());
			if (since != null) {
				this.drains.add(new long[] { since, r.nanos() });
			}
			this.ready.add(r.user());
		});
	}

	/** Agents of capacity one, each with a chat and a live STOMP session, and a backlog behind them. */
	void setUp(AgentSessions sessions, String base, int agents, int backlog) {
		this.api.configure(this.company, Map.of("maxChatsPerAgent", 1, "strategy", "round_robin"));
		for (int i = 0; i < agents; i++) {
			String agent = "agent" + i;
			this.api.agent(this.company, agent, "AGENT", "ACTIVE");
			sessions.connect(base, agent, this.api.token(this.company, agent));
		}
		for (int i = 0; i < agents + backlog; i++) {
			int status = this.api.status("POST", chats(), ServiceClient.chat(nextChat()));
			if (status != 201) {
				throw new IllegalStateException("Setting up the queue: POST answered " + status);
			}
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (this.ready.size() < agents && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
		if (this.ready.size() < agents) {
			throw new IllegalStateException("Only " + this.ready.size() + " of " + agents + " agents got a chat");
		}
	}

	/** Closed loop: {@code callers} threads close the chat of each agent as soon as it holds one. */
	double maxRate(int callers, Duration measured) {
		this.drains.clear();
		long start = System.nanoTime();
		long end = start + measured.toNanos();
		CountDownLatch done = new CountDownLatch(callers);
		for (int i = 0; i < callers; i++) {
			Thread caller = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						String agent = this.ready.poll(10, TimeUnit.MILLISECONDS);
						if (agent != null) {
							cycle(agent, System.nanoTime(), new AtomicLong(), false);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					done.countDown();
				}
			}, "drainer-" + i);
			caller.start();
		}
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		settle(Duration.ofSeconds(10));
		long inWindow = this.drains.stream().filter((d) -> d[1] >= start && d[1] < end).count();
		return inWindow / (measured.toNanos() / 1e9);
	}

	/** Open loop: closes at {@code rate} per second, each on the agent that has waited longest. */
	Latency atRate(double rate, Duration warmup, Duration measured) {
		this.drains.clear();
		AtomicLong errors = new AtomicLong();
		AtomicLong skipped = new AtomicLong();
		long start = System.nanoTime();
		long windowStart = start + warmup.toNanos();
		long end = windowStart + measured.toNanos();
		Figures.openLoop(rate, start, end, (i, scheduled) -> {
			String agent = this.ready.poll();
			if (agent != null) {
				cycle(agent, scheduled, errors, true);
			}
			else if (scheduled >= windowStart) {
				skipped.incrementAndGet();
			}
		});
		long lost = settle(Duration.ofSeconds(10));
		Figures.Window window = Figures.Window.of(this.drains, windowStart, end);
		return new Latency(rate, window.achievedRate(), window.p50(), window.p95(), window.p99(), errors.get(), lost,
				skipped.get());
	}

	/** Closes the agent's chat (its drain is timed from {@code since}) and queues a new chat. */
	private void cycle(String agent, long since, AtomicLong errors, boolean async) {
		String chat = this.holding.get(agent);
		this.waitingSince.put(agent, since);
		String close = chats() + "/" + chat + "/close";
		String created = nextChat();
		if (async) {
			this.api.statusAsync("POST", close, null).thenAccept((status) -> failed(agent, status, 200, errors));
			this.api.statusAsync("POST", chats(), ServiceClient.chat(created))
				.thenAccept((status) -> failed(null, status, 201, errors));
		}
		else {
			failed(agent, this.api.status("POST", close, null), 200, errors);
			failed(null, this.api.status("POST", chats(), ServiceClient.chat(created)), 201, errors);
		}
	}

	private void failed(String agent, int status, int expected, AtomicLong errors) {
		if (status != expected) {
			errors.incrementAndGet();
			if (agent != null && this.waitingSince.remove(agent) != null) {
				this.ready.add(agent);
			}
		}
	}

	/** Waits for the drains still due; answers how many did not come (their agents are dropped). */
	private long settle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.waitingSince.isEmpty() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
		long lost = this.waitingSince.size();
		this.waitingSince.clear();
		return lost;
	}

	private String nextChat() {
		return "drain-" + this.chats.incrementAndGet();
	}

	private String chats() {
		return "/api/v1/companies/" + this.company + "/chats";
	}

}
