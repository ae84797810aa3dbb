package io.autoassign.events;

/**
 * An event on its way out: who receives it, and its place among its chat's events.
 *
 * @param chatId the chat the event is about, or {@code null} for an event about several chats
 * @param sequence the chat's event sequence number of the transaction that caused the event
 * (events of one chat are delivered in this order); 0 when not about one chat
 */
public record Delivery(AutoAssignEvent event, Recipients recipients, String chatId, long sequence) {
}
