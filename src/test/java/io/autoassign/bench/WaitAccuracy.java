package io.autoassign.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How honest the estimated wait is: a steady mix on a running service, in real time. Agents
 * (each with {@code capacity} slots) close every chat a handle time after it reached them
 * (uniform between 20 and 60 s); chats arrive at random (Poisson) at the rate the agents serve,
 * 85% NORMAL, 10% HIGH, 5% URGENT, after a backlog that fills every slot and queues as many again.
 * Each chat's estimate is the one its {@code POST .../chats} answered; its actual wait is its
 * {@code assignedAt} minus its {@code createdAt}. After the arrivals stop, the agents serve on
 * until every chat has been assigned. The figure: the median and p90 of |estimate - actual| /
 * actual over the chats that waited at least 30 s and had an estimate. {@code scale} shrinks
 * every duration (the smoke run).
 */
final class WaitAccuracy {

	record Result(double median, double p90, int samples, int withoutEstimate, int chats) {
	}

	private record Arrival(String chatId, Integer estimate) {
	}

	private WaitAccuracy() {
	}

	static Result run(ServiceClient api, String company, int agents, int capacity, Duration arrivals, double scale,
			long seed) {
		api.configure(company, Map.of("maxChatsPerAgent", capacity));
		for (int i = 0; i < agents; i++) {
			api.agent(company, "agent-" + i, "AGENT", "ACTIVE");
		}
		String chats = "/api/v1/companies/" + company + "/chats";
		SplittableRandom random = new SplittableRandom(seed);
		double meanHandleSeconds = 40 * scale;
		double ratePerSecond = agents * capacity / meanHandleSeconds;
		List<Arrival> created = new ArrayList<>();
		Map<String, Instant> assigned = new ConcurrentHashMap<>();
		Set<String> closing = ConcurrentHashMap.newKeySet();
		SplittableRandom handles = random.split();
		ScheduledExecutorService closer = Executors.newScheduledThreadPool(2);
		Thread watcher = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				JsonNode page;
				try {
					page = api.call("GET", chats + "?assignmentStatus=ASSIGNED&limit=1000", null);
				}
				catch (IllegalStateException ex) {
					continue;
				}
				for (JsonNode chat : page.path("chats")) {
					String chatId = chat.path("chatId").asText();
					if (closing.add(chatId)) {
						assigned.put(chatId, Instant.parse(chat.path("assignedAt").asText()));
						long handleMillis = Math.round((20 + 40 * handles.nextDouble()) * scale * 1000);
						closer.schedule(() -> api.status("POST", chats + "/" + chatId + "/close", null), handleMillis,
								TimeUnit.MILLISECONDS);
					}
				}
				LockSupport.parkNanos(Duration.ofMillis(Math.max(20, Math.round(200 * scale))).toNanos());
			}
		}, "wait-accuracy-agents");
		watcher.setDaemon(true);
		watcher.start();
		try {
			int n = 0;
			for (; n < 2 * agents * capacity; n++) {
				created.add(create(api, chats, "w" + n, "NORMAL"));
			}
			long end = System.nanoTime() + arrivals.toNanos();
			long next = System.nanoTime();
			while (true) {
				next += Math.round(-Math.log(1 - random.nextDouble()) / ratePerSecond * 1e9);
				if (next > end) {
					break;
				}
				LockSupport.parkNanos(next - System.nanoTime());
				double p = random.nextDouble();
				created.add(create(api, chats, "w" + n++, p < 0.05 ? "URGENT" : p < 0.15 ? "HIGH" : "NORMAL"));
			}
			Instant deadline = Instant.now().plus(arrivals.multipliedBy(2));
			while (created.stream().anyMatch((arrival) -> !assigned.containsKey(arrival.chatId()))) {
				if (Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("Chats still waiting long after the arrivals stopped");
				}
				LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
			}
		}
		finally {
			watcher.interrupt();
			closer.shutdownNow();
		}
		double threshold = 30 * scale;
		List<Double> errors = new ArrayList<>();
		int withoutEstimate = 0;
		for (Arrival arrival : created) {
			JsonNode view = api.call("GET", chats + "/" + arrival.chatId(), null);
			double actual = Duration.between(Instant.parse(view.path("createdAt").asText()), assigned.get(arrival.chatId()))
				.toMillis() / 1000.0;
			if (actual < threshold) {
				continue;
			}
			if (arrival.estimate() == null) {
				withoutEstimate++;
				continue;
			}
			errors.add(Math.abs(arrival.estimate() - actual) / actual);
		}
		errors.sort(null);
		return new Result(quantile(errors, 0.5), quantile(errors, 0.9), errors.size(), withoutEstimate, created.size());
	}

	private static Arrival create(ServiceClient api, String chats, String chatId, String priority) {
		JsonNode chat = api.call("POST", chats, Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId),
				"priority", priority));
		JsonNode estimate = chat.path("estimatedWaitSeconds");
		return new Arrival(chatId, estimate.isNumber() ? estimate.asInt() : null);
	}

	private static double quantile(List<Double> sorted, double q) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
	}

}
