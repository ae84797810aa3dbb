package io.autoassign.events;

/**
 * An event as the log wrote it, for the {@link EventLogSubscriber}s.
 *
 * @param chatId the chat the event is about, or {@code null}
 * @param orderKey what the event's order is kept within: its chat ({@code chat/<id>}) or, for an
 * event about an agent, the agent ({@code agent/<id>}); {@code company} for any other
 * @param payload the event's JSON exactly as its STOMP users receive it (with the chat's {@code version})
 */
public record LoggedEvent(String eventId, String type, String companyId, String chatId, String orderKey,
		String payload) {
}
