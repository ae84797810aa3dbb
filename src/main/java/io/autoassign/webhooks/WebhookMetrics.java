package io.autoassign.webhooks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * What the webhooks did on this node (deliveries acknowledged, attempts that failed, deliveries
 * given up, and the lag from an event to its acknowledgement), and the backlog of every node
 * (deliveries not yet acknowledged and the age of the oldest), read from the database.
 */
@Component
class WebhookMetrics {

	private final Counter delivered;

	private final Counter retried;

	private final Counter failed;

	private final Timer lag;

	private final AtomicLong pending = new AtomicLong();

	private final AtomicLong oldestSeconds = new AtomicLong();

	WebhookMetrics(MeterRegistry meters) {
		this.delivered = Counter.builder("autoassign.webhook.deliveries")
			.tag("outcome", "delivered")
			.description("Webhook deliveries acknowledged with 2xx (outcome delivered), attempts that failed and "
					+ "are tried again (retried), deliveries given up after the maximum age (failed)")
			.register(meters);
		this.retried = Counter.builder("autoassign.webhook.deliveries").tag("outcome", "retried").register(meters);
		this.failed = Counter.builder("autoassign.webhook.deliveries").tag("outcome", "failed").register(meters);
		this.lag = Timer.builder("autoassign.webhook.lag")
			.description("From an event's commit to its webhook delivery's acknowledgement")
			.publishPercentileHistogram()
			.register(meters);
		Gauge.builder("autoassign.webhook.pending", this.pending, AtomicLong::get)
			.description("Webhook deliveries not yet acknowledged (every node)")
			.register(meters);
		Gauge.builder("autoassign.webhook.oldest.pending.seconds", this.oldestSeconds, AtomicLong::get)
			.description("Age of the oldest webhook delivery not yet acknowledged (every node)")
			.register(meters);
	}

	void delivered(Duration lag) {
		this.delivered.increment();
		this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
	}

	void retried() {
		this.retried.increment();
	}

	void failed() {
		this.failed.increment();
	}

	void backlog(long pending, long oldestSeconds) {
		this.pending.set(pending);
		this.oldestSeconds.set(oldestSeconds);
	}

}
