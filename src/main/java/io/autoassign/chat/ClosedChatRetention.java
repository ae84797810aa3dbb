package io.autoassign.chat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes closed chats once they are older than {@code auto-assign.retention.closed-chats}
 * (30 days by default: as long as the engine keeps a lifecycle's history), so that
 * {@code aa_chat} holds the open chats and a bounded tail of closed ones. Each batch of at most
 * {@value #BATCH} chats is its own short statement over closed rows only, which no routing
 * transaction touches, so routing is never held up. Every node runs it; the batches of two
 * nodes at once only find less to delete. A deleted chat answers 404.
 */
@Component
class ClosedChatRetention {

	/** Chats deleted per statement. */
	static final int BATCH = 1000;

	private static final Logger log = LoggerFactory.getLogger(ClosedChatRetention.class);

	private final JdbcTemplate jdbc;

	private final SettingsService settings;

	private final Clock clock;

	private final Duration retention;

	ClosedChatRetention(JdbcTemplate jdbc, SettingsService settings, Clock clock,
			@Value("${auto-assign.retention.closed-chats:30d}") Duration retention) {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("auto-assign.retention.closed-chats must be positive: " + retention);
		}
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
		this.retention = retention;
	}

	@Scheduled(fixedDelayString = "${auto-assign.retention.interval:1h}",
			initialDelayString = "${auto-assign.retention.interval:1h}")
	void scheduled() {
		try {
			int deleted = purge();
			if (deleted > 0) {
				log.info("Deleted {} chats closed more than {} ago", deleted, this.retention);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Deleting old closed chats failed; the next round tries again: {}", ex.toString());
		}
	}

	/** Deletes every chat closed longer than the retention ago; returns how many. */
	public int purge() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(this.retention));
		int deleted = 0;
		for (String companyId : this.settings.companyIds()) {
			deleted += purge(companyId, before);
		}
		return deleted;
	}

	private int purge(String companyId, Timestamp before) {
		int deleted = 0;
		while (true) {
			// the batch is a range of closing times, read and deleted over aa_chat_closed alone (a
			// delete by chat ids could be planned over that index too, walking every closed chat)
			List<Timestamp> batch = this.jdbc.queryForList("select closed_at from aa_chat where company_id = ? "
					+ "and status = 'CLOSED' and closed_at < ? order by closed_at limit ?", Timestamp.class, companyId,
					before, BATCH);
			if (batch.isEmpty()) {
				return deleted;
			}
			deleted += this.jdbc.update("delete from aa_chat where company_id = ? and status = 'CLOSED' "
					+ "and closed_at <= ? and closed_at < ?", companyId, batch.get(batch.size() - 1), before);
			if (batch.size() < BATCH) {
				return deleted;
			}
		}
	}

	/** How long a closed chat is kept. */
	public Duration retention() {
		return this.retention;
	}

}
