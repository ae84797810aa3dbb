package io.autoassign.chat;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * How fast each queue has been draining lately: the time its pool took, on average, to take the
 * next chat out of the queue while chats were waiting in it. Kept by the routing core
 * (assignment's QueueDrain), read by {@link WaitEstimates}.
 */
public interface QueueDrainHistory {

	/**
	 * The mean seconds between two departures of each pool's queue over the recent window, at
	 * {@code now}; a pool whose recent history is too thin to say is left out.
	 */
	Map<String, Double> meanIntervals(String companyId, Collection<String> pools, Instant now);

}
