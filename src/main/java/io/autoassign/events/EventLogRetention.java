package io.autoassign.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.autoassign.platform.Database;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the events that every node has long read: those written more than
 * {@code auto-assign.events.retention} (2 minutes) ago. Rows carry no index on their time: each
 * run notes the log's last id, and a later run deletes up to the last id noted at least the
 * retention ago (any node may; deleting twice is harmless). On PostgreSQL with autovacuum off
 * the table is vacuumed after a delete, so that its space is used again.
 */
@Component
class EventLogRetention {

	private static final Logger log = LoggerFactory.getLogger(EventLogRetention.class);

	private static final int BATCH = 10_000;

	/** The log's last id at a moment (nanos of the wall clock, whatever the service's clock says). */
	private record Mark(long atNanos, long lastId) {
	}

	private final EventLog events;

	private final JdbcTemplate jdbc;

	private final Duration retention;

	private final boolean vacuum;

	private final Deque<Mark> marks = new ArrayDeque<>();

	EventLogRetention(EventLog events, JdbcTemplate jdbc, Database database,
			@Value("${auto-assign.events.retention:2m}") Duration retention) {
		this.events = events;
		this.jdbc = jdbc;
		this.retention = retention;
		this.vacuum = database.isPostgresWithoutAutovacuum();
	}

	@Scheduled(fixedDelayString = "${auto-assign.events.retention-interval:30s}",
			initialDelayString = "${auto-assign.events.retention-interval:30s}")
	void prune() {
		try {
			long now = System.nanoTime();
			this.marks.addLast(new Mark(now, this.events.lastId()));
			long upTo = 0;
			while (!this.marks.isEmpty() && now - this.marks.peekFirst().atNanos() >= this.retention.toNanos()) {
				upTo = this.marks.pollFirst().lastId();
			}
			if (upTo > 0 && this.events.deleteUpTo(upTo, BATCH) > 0 && this.vacuum) {
				this.jdbc.execute("vacuum aa_event");
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete old events (next time): {}", ex.toString());
		}
	}

}
