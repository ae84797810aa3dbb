package io.autoassign.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;

import org.springframework.stereotype.Component;

/**
 * A queued chat's {@code estimatedWaitSeconds}: its position within its pool's queue (company or
 * group) times the mean time the pool recently took to serve the next chat of that queue
 * ({@link QueueDrainHistory}: the departures of the last 30 minutes, at least 3 of them), divided
 * by the share of that service left to its priority and below (the share of recent departures of
 * a higher priority is the share that chats arriving later of a higher priority will take before
 * it; at most 90%), rounded to the second. {@code null} when that history is too thin to say,
 * and when the team is closed and does not open within a year. Outside business hours the
 * estimate starts at the opening: the time until then is added. Chats that leave the queue before
 * it (closed while waiting) are not foreseen: it is the wait if the queue goes on as it did.
 */
@Component
public class WaitEstimates {

	private final QueueDrainHistory history;

	private final SettingsService settings;

	private final Clock clock;

	WaitEstimates(QueueDrainHistory history, SettingsService settings, Clock clock) {
		this.history = history;
		this.settings = settings;
		this.clock = clock;
	}

	/** The estimates of the company's queues at this moment, for chats of {@code pools}. */
	public Estimator of(String companyId, Collection<String> pools) {
		Instant now = this.clock.instant();
		Map<String, QueueDrainHistory.Drain> means = pools.isEmpty() ? Map.of()
				: this.history.recentDrains(companyId, new LinkedHashSet<>(pools), now);
		AutoAssignConfig config = this.settings.get(companyId);
		if (config.openAt(now)) {
			return new Estimator(means, 0);
		}
		Instant opensAt = config.openingHours().opensAt(now);
		return opensAt == null ? new Estimator(Map.of(), 0)
				: new Estimator(means, Duration.between(now, opensAt).toSeconds());
	}

	/** One queued chat's estimate: the {@code poolPosition}-th (1-based) of {@code pool}'s queue. */
	public Integer seconds(String companyId, String pool, int poolPosition, Priority priority) {
		return pool == null ? null : of(companyId, List.of(pool)).seconds(pool, poolPosition, priority);
	}

	/**
	 * The estimates of queued chats listed in queue order (as the queue listing gives them): each
	 * chat's position within its pool is counted along the list. Keyed by chat id.
	 */
	public Map<String, Integer> inQueueOrder(String companyId, List<Chat> queued) {
		Set<String> pools = new LinkedHashSet<>();
		queued.forEach((chat) -> pools.add(chat.queuePool()));
		pools.remove(null);
		Estimator estimator = of(companyId, pools);
		Map<String, Integer> positions = new HashMap<>();
		Map<String, Integer> estimates = new HashMap<>();
		for (Chat chat : queued) {
			if (chat.queuePool() != null) {
				int position = positions.merge(chat.queuePool(), 1, Integer::sum);
				estimates.put(chat.chatId(), estimator.seconds(chat.queuePool(), position, chat.priority()));
			}
		}
		return estimates;
	}

	/** Estimates from the pools' recent drains, after {@code startsIn} seconds (the opening). */
	public record Estimator(Map<String, QueueDrainHistory.Drain> drains, long startsIn) {

		/** The share of service that later, more urgent chats may take at most. */
		static final double MAX_SHARE_ABOVE = 0.9;

		/**
		 * The estimate of the {@code poolPosition}-th chat of {@code pool}, of {@code priority};
		 * {@code null}: unknown.
		 */
		public Integer seconds(String pool, int poolPosition, Priority priority) {
			QueueDrainHistory.Drain drain = this.drains.get(pool);
			if (drain == null) {
				return null;
			}
			double left = 1 - Math.min(MAX_SHARE_ABOVE, drain.shareAbove(priority));
			return (int) Math.min(Integer.MAX_VALUE, this.startsIn + Math.round(poolPosition * drain.meanSeconds() / left));
		}

	}

}
