package io.autoassign.queue;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The queue as gauges: how many chats wait and how long the oldest has waited, read from the
 * database every {@code auto-assign.metrics.refresh-interval} (one grouped query over the open
 * queued chats' index, never per scrape). By default summed over every company, so that the
 * number of series does not grow with the companies; with {@code auto-assign.metrics.per-company}
 * each company and pool (all agents {@code *}, or a group {@code g:<id>}) gets its own.
 */
@Component
class QueueMetrics {

	private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final boolean perCompany;

	private final AtomicReference<Totals> totals = new AtomicReference<>(new Totals(0, 0));

	private final MultiGauge length;

	private final MultiGauge oldestWait;

	private record Totals(long length, double oldestWaitSeconds) {
	}

	private record Pool(String companyId, String pool, long length, Instant oldest) {
	}

	QueueMetrics(JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
			@Value("${auto-assign.metrics.per-company:false}") boolean perCompany) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.perCompany = perCompany;
		Gauge.builder("autoassign.queue.length", this.totals, (t) -> t.get().length())
			.description("Chats waiting in the queue (every company)")
			.register(meters);
		Gauge.builder("autoassign.queue.oldest.wait", this.totals, (t) -> t.get().oldestWaitSeconds())
			.description("How long the oldest queued chat has waited, in seconds (every company)")
			.baseUnit("seconds")
			.register(meters);
		this.length = MultiGauge.builder("autoassign.queue.pool.length")
			.description("Chats waiting in the queue, per company and pool (auto-assign.metrics.per-company)")
			.register(meters);
		this.oldestWait = MultiGauge.builder("autoassign.queue.pool.oldest.wait")
			.description("How long the oldest queued chat of the pool has waited, in seconds (per company)")
			.baseUnit("seconds")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${auto-assign.metrics.refresh-interval:10s}", initialDelay = 1000)
	void refresh() {
		List<Pool> pools;
		try {
			pools = this.jdbc.query("select company_id, queue_pool, count(*), min(queued_at) from aa_chat "
					+ "where status = 'OPEN' and assignment_status = 'QUEUED' group by company_id, queue_pool",
					(rs, row) -> {
						Timestamp oldest = rs.getTimestamp(4);
						return new Pool(rs.getString(1), rs.getString(2), rs.getLong(3),
								oldest == null ? null : oldest.toInstant());
					});
		}
		catch (RuntimeException ex) {
			log.debug("Could not read the queue for its metrics: {}", ex.toString());
			return;
		}
		Instant now = this.clock.instant();
		long length = 0;
		double oldest = 0;
		for (Pool pool : pools) {
			length += pool.length();
			oldest = Math.max(oldest, waited(pool, now));
		}
		this.totals.set(new Totals(length, oldest));
		if (this.perCompany) {
			List<MultiGauge.Row<?>> lengths = new ArrayList<>();
			List<MultiGauge.Row<?>> waits = new ArrayList<>();
			for (Pool pool : pools) {
				Tags tags = Tags.of("company", pool.companyId(), "pool", pool.pool() == null ? "*" : pool.pool());
				lengths.add(MultiGauge.Row.of(tags, pool.length()));
				waits.add(MultiGauge.Row.of(tags, waited(pool, now)));
			}
			// pools that emptied disappear (overwrite)
			this.length.register(lengths, true);
			this.oldestWait.register(waits, true);
		}
	}

	private static double waited(Pool pool, Instant now) {
		return pool.oldest() == null ? 0 : Math.max(0, Duration.between(pool.oldest(), now).toMillis() / 1000.0);
	}

}
