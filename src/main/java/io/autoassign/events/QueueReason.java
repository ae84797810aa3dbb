package io.autoassign.events;

/**
 * Why a chat waits in the queue (CHAT_QUEUED's {@code reason}): no agent could take it, or the
 * team is outside its business hours (then the event's {@code opensAt} says when it opens).
 */
public enum QueueReason {

	NO_AGENT_AVAILABLE, OUTSIDE_BUSINESS_HOURS

}
