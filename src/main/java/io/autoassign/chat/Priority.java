package io.autoassign.chat;

/**
 * How urgent a chat is. The queue serves URGENT before HIGH before NORMAL before LOW, and each
 * priority in arrival order.
 * <p>
 * A queued chat's rank (its {@code queueSeq}, the score of the Redis queues) is its arrival
 * sequence plus its priority's {@link #queueOffset()}: one {@link #LEVEL_SPAN} per level,
 * NORMAL none (so that the ranks of NORMAL chats are their arrival sequences, as before
 * priorities). Arrival sequences stay below one span, so the levels never mix.
 */
public enum Priority {

	LOW, NORMAL, HIGH, URGENT;

	/** The ranks one priority level spans (2^40; redis/lib.lua has the same). */
	public static final long LEVEL_SPAN = 1L << 40;

	/** What the queue adds to a chat's arrival sequence for this priority. */
	public long queueOffset() {
		return (NORMAL.ordinal() - ordinal()) * LEVEL_SPAN;
	}

	/** The priority a queue rank stands for. */
	public static Priority ofQueueRank(long rank) {
		return values()[(int) (NORMAL.ordinal() - Math.floorDiv(rank, LEVEL_SPAN))];
	}

	/** A rank's arrival sequence, whatever its priority. */
	public static long arrivalOf(long rank) {
		return Math.floorMod(rank, LEVEL_SPAN);
	}

}
