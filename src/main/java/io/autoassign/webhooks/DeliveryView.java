package io.autoassign.webhooks;

import java.time.Instant;

/**
 * One delivery of one event to one webhook.
 *
 * @param attempts requests made so far (the {@code X-AutoAssign-Delivery-Attempt} of the last)
 * @param nextAttemptAt when it is tried next ({@code null} unless PENDING)
 * @param lastStatus the HTTP status of the last answer ({@code null} when none came)
 * @param lastError why the last attempt failed, with at most 200 characters of the answer's body
 */
public record DeliveryView(long deliveryId, String webhookId, String eventId, String eventType, String chatId,
		DeliveryStatus status, int attempts, Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt,
		Instant deliveredAt, Integer lastStatus, String lastError) {
}
