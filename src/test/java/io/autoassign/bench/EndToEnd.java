package io.autoassign.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Chats from {@code POST .../chats} to CHAT_ASSIGNED at the agent's STOMP client: the highest
 * sustained rate (closed loop: a fixed number of callers, each posting its next chat as soon as
 * the last one was accepted) and the latency at a given rate (open loop: chats posted on a fixed
 * schedule, latency measured from the scheduled moment, so a stalled server cannot hide its
 * stall by slowing the sender down).
 */
final class EndToEnd {

	record MaxRate(double chatsPerSecond, long sent, long errors, long lost, Map<String, Double> cpu) {
	}

	record Latency(double targetRate, double achievedRate, double p50, double p95, double p99, long errors,
			long lost) {
	}

	private final ServiceClient api;

	/** Where the callers send their chats: caller i to {@code apis.get(i % apis.size())}. */
	private final List<ServiceClient> apis;

	private final String company;

	private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<long[]> arrivals = new ConcurrentLinkedQueue<>();

	private final AtomicLong received = new AtomicLong();

	private final AtomicInteger run = new AtomicInteger();

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	/** Keeps the chat ids of several of these on one company apart. */
	private final String id = "e" + INSTANCES.incrementAndGet() + "-";

	EndToEnd(ServiceClient api, AgentSessions sessions, String company) {
		this(List.of(api), sessions, company);
	}

	/** Load spread over several nodes of one deployment (the first also closes the chats). */
	EndToEnd(List<ServiceClient> apis, AgentSessions sessions, String company) {
		this.api = apis.get(0);
		this.apis = List.copyOf(apis);
		this.company = company;
		sessions.listen((r) -> {
			if (!"CHAT_ASSIGNED".equals(r.event().path("type").asText())) {
				return;
			}
			Long sent = this.sentAt.remove(r.event().path("chatId").asText());
			if (sent != null) {
				this.arrivals.add(new long[] { sent, r.nanos() });
				this.received.incrementAndGet();
			}
		});
	}

	/** The chats this object posted, for closing them afterwards. */
	final List<String> posted = java.util.Collections.synchronizedList(new ArrayList<>());

	MaxRate maxRate(int callers, Duration warmup, Duration measured) {
		return maxRate(callers, warmup, measured, -1);
	}

	/** As above; with the service's pid, also where the CPU went in the measured window. */
	MaxRate maxRate(int callers, Duration warmup, Duration measured, long servicePid) {
		String prefix = this.id + "max" + this.run.incrementAndGet() + "-";
		this.arrivals.clear();
		AtomicLong counter = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicLong accepted = new AtomicLong();
		long start = System.nanoTime();
		long windowStart = start + warmup.toNanos();
		long end = windowStart + measured.toNanos();
		CountDownLatch done = new CountDownLatch(callers);
		for (int i = 0; i < callers; i++) {
			ServiceClient node = this.apis.get(i % this.apis.size());
			Thread caller = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						String chatId = prefix + counter.incrementAndGet();
						this.sentAt.put(chatId, System.nanoTime());
						int status = node.status("POST", chats(), ServiceClient.chat(chatId));
						if (status == 201) {
							accepted.incrementAndGet();
							this.posted.add(chatId);
						}
						else {
							this.sentAt.remove(chatId);
							errors.incrementAndGet();
						}
					}
				}
				finally {
					done.countDown();
				}
			}, "caller-" + i);
			caller.start();
		}
		Map<String, Double> cpu = Map.of();
		if (servicePid > 0) {
			LockSupport.parkNanos(windowStart - System.nanoTime());
			CpuSplit split = CpuSplit.begin(servicePid);
			LockSupport.parkNanos(end - System.nanoTime());
			cpu = split.end();
		}
		await(done);
		long lost = awaitArrivals(Duration.ofSeconds(60));
		long inWindow = this.arrivals.stream().filter((a) -> a[1] >= windowStart && a[1] < end).count();
		return new MaxRate(inWindow / (measured.toNanos() / 1e9), accepted.get(), errors.get(), lost, cpu);
	}

	Latency atRate(double rate, Duration warmup, Duration measured) {
		String prefix = this.id + "lat" + this.run.incrementAndGet() + "-";
		this.arrivals.clear();
		AtomicLong errors = new AtomicLong();
		long start = System.nanoTime();
		long windowStart = start + warmup.toNanos();
		long end = windowStart + measured.toNanos();
		Figures.openLoop(rate, start, end, (i, scheduled) -> {
			String chatId = prefix + i;
			this.sentAt.put(chatId, scheduled);
			this.posted.add(chatId);
			this.apis.get((int) (i % this.apis.size())).statusAsync("POST", chats(), ServiceClient.chat(chatId)).thenAccept((status) -> {
				if (status != 201) {
					this.sentAt.remove(chatId);
					errors.incrementAndGet();
				}
			});
		});
		long lost = awaitArrivals(Duration.ofSeconds(60));
		Figures.Window window = Figures.Window.of(this.arrivals, windowStart, end);
		return new Latency(rate, window.achievedRate(), window.p50(), window.p95(), window.p99(), errors.get(), lost);
	}

	/** Closes every chat this object posted (so that they stop counting as open). */
	void closeAll(int callers) {
		List<String> chats;
		synchronized (this.posted) {
			chats = new ArrayList<>(this.posted);
			this.posted.clear();
		}
		Parallel.forEach(chats, callers,
				(chatId) -> this.api.status("POST", chats() + "/" + chatId + "/close", null));
	}

	/** Waits until every accepted chat arrived; answers how many did not. */
	private long awaitArrivals(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.sentAt.isEmpty() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
		long lost = this.sentAt.size();
		this.sentAt.clear();
		return lost;
	}

	private String chats() {
		return "/api/v1/companies/" + this.company + "/chats";
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
