package io.autoassign.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A company's webhook as stored.
 *
 * @param events the event types it receives, {@code null} for every type (those added later too)
 */
record Webhook(String companyId, String webhookId, String url, String secret, List<String> events, boolean enabled,
		Instant createdAt, Instant updatedAt) {

	boolean receives(String type) {
		return this.events == null || this.events.contains(type);
	}

	WebhookView view() {
		return new WebhookView(this.webhookId, this.url, this.events == null ? WebhookView.ALL : this.events,
				this.events == null, this.enabled, this.createdAt, this.updatedAt);
	}

}
