package io.autoassign.webhooks;

import java.time.Instant;
import java.util.List;

import io.autoassign.events.AutoAssignEvent;

/**
 * A webhook as the API shows it: never its secret.
 *
 * @param events the event types it receives
 * @param allEvents whether it receives every type, those a later version adds too
 */
public record WebhookView(String webhookId, String url, List<String> events, boolean allEvents, boolean enabled,
		Instant createdAt, Instant updatedAt) {

	static final List<String> ALL = AutoAssignEvent.CHANGE_TYPES;

}
