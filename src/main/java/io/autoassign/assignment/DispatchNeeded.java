package io.autoassign.assignment;

/**
 * Capacity or queued chats may have appeared in the company (a commit gave back a slot or
 * queued a chat, an agent became eligible, a repair changed something): its queue should be
 * dispatched, oldest first. Published outside any transaction, after the one that caused it
 * completed; the queue feature listens (an event, so that routing does not depend on it).
 *
 * @param sinceNanos {@link System#nanoTime()} when the capacity appeared (its commit ended)
 */
public record DispatchNeeded(String companyId, long sinceNanos) {

	public DispatchNeeded(String companyId) {
		this(companyId, System.nanoTime());
	}

}
