package io.autoassign.chat;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * How fast each queue has been draining lately: the time its pool took, on average, to take the
 * next chat out of the queue while chats were waiting in it, and the priorities of the chats it
 * took. Kept by the routing core (assignment's QueueDrain), read by {@link WaitEstimates}.
 */
public interface QueueDrainHistory {

	/**
	 * Each pool's recent drain at {@code now}; a pool whose recent history is too thin to say is
	 * left out.
	 */
	Map<String, Drain> recentDrains(String companyId, Collection<String> pools, Instant now);

	/**
	 * A pool's recent departures from its queue: how many, the mean seconds between two, and how
	 * many of them were of each priority (indexed by {@link Priority#ordinal()}).
	 */
	record Drain(int departures, double meanSeconds, int[] byPriority) {

		/**
		 * The share of departures of a priority above {@code priority}: in a queue that does not
		 * empty, the share of its service that chats arriving later of a higher priority take
		 * before a chat of {@code priority}.
		 */
		public double shareAbove(Priority priority) {
			int above = 0;
			for (int i = priority.ordinal() + 1; i < this.byPriority.length; i++) {
				above += this.byPriority[i];
			}
			return this.departures == 0 ? 0 : (double) above / this.departures;
		}

	}

}
