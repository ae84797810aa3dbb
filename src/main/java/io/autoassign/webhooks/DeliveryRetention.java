package io.autoassign.webhooks;

import java.time.Clock;

import io.autoassign.platform.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes delivered and failed webhook deliveries older than {@code auto-assign.webhooks.retention}
 * (7 days). On PostgreSQL with autovacuum off it also vacuums the outbox every 30 s: each
 * delivery is updated twice (claimed, acknowledged), and the dead rows would otherwise pile up
 * in its indexes.
 */
@Component
class DeliveryRetention {

	private static final Logger log = LoggerFactory.getLogger(DeliveryRetention.class);

	private static final int BATCH = 10_000;

	private final WebhookStore store;

	private final WebhookProperties properties;

	private final Clock clock;

	private final JdbcTemplate jdbc;

	private final boolean vacuum;

	DeliveryRetention(WebhookStore store, WebhookProperties properties, Clock clock, JdbcTemplate jdbc,
			Database database) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
		this.jdbc = jdbc;
		this.vacuum = database.isPostgresWithoutAutovacuum();
	}

	@Scheduled(fixedDelayString = "${auto-assign.events.retention-interval:30s}",
			initialDelayString = "${auto-assign.events.retention-interval:30s}")
	void vacuum() {
		if (!this.vacuum) {
			return;
		}
		try {
			this.jdbc.execute("vacuum aa_webhook_delivery");
		}
		catch (RuntimeException ex) {
			log.warn("Could not vacuum the webhook outbox (next time): {}", ex.toString());
		}
	}

	@Scheduled(fixedDelayString = "${auto-assign.retention.interval:1h}",
			initialDelayString = "${auto-assign.retention.interval:1h}")
	void prune() {
		try {
			int deleted = this.store.deleteFinished(this.clock.instant().minus(this.properties.retention()), BATCH);
			if (deleted > 0) {
				log.info("Deleted {} webhook deliveries older than {}", deleted, this.properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete old webhook deliveries (next time): {}", ex.toString());
		}
	}

}
