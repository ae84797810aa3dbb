package io.autoassign.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.events.EventLogSubscriber;
import io.autoassign.events.LoggedEvent;

import org.springframework.stereotype.Component;

/**
 * Writes a delivery for each event and each enabled webhook of its company that receives its
 * type, in the transaction that caused the event: a rolled-back change announces nothing, and a
 * committed one is sent whatever happens after its commit ({@link WebhookSender}). The webhooks
 * are read from the database in that transaction, never from a cache, so a webhook saved on any
 * node receives the events of every transaction that begins after its save.
 */
@Component
class WebhookOutbox implements EventLogSubscriber {

	private final WebhookStore store;

	private final WebhookProperties properties;

	private final Clock clock;

	WebhookOutbox(WebhookStore store, WebhookProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public void written(List<LoggedEvent> events) {
		Map<String, List<LoggedEvent>> byCompany = new LinkedHashMap<>();
		for (LoggedEvent event : events) {
			byCompany.computeIfAbsent(event.companyId(), (company) -> new ArrayList<>()).add(event);
		}
		Instant now = this.clock.instant();
		Instant giveUpAt = now.plus(this.properties.maxAge());
		byCompany.forEach((companyId, ofCompany) -> this.store.writeDeliveries(companyId, ofCompany, now, giveUpAt));
	}

}
