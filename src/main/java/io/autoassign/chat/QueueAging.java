package io.autoassign.chat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.autoassign.platform.PausePoints;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Queue aging: with {@code queueAgingMinutes} above 0, a queued chat rises one priority level
 * (up to URGENT) per that many minutes of waiting, so that no chat starves behind a stream of
 * more urgent ones. A raise is a change of priority like an admin's (the same move in the
 * queue, CHAT_PRIORITY_CHANGED with {@code reason: AGING}); the chat keeps its place among the
 * chats of its new level that arrived before it.
 * <p>
 * Each chat counts from its {@code aging_since}: when it was queued, moved on by one period at
 * each raise, and reset to the moment of an explicit change of priority. A sweep on every node
 * raises what is due; each raise locks the chat's row and looks again, so two nodes (or a sweep
 * and an admin) never raise one chat twice for one period. A chat that missed several periods
 * (the service was down) rises by all of them at once.
 */
@Component
public class QueueAging {

	private static final Logger log = LoggerFactory.getLogger(QueueAging.class);

	/** Chats raised per sweep at most; the next sweep goes on. */
	static final int BATCH = 1000;

	private static final String DUE = "select chat_id from aa_chat where company_id = ? and status = 'OPEN' "
			+ "and assignment_status = 'QUEUED' and priority <> 'URGENT' and aging_since <= ? "
			+ "order by aging_since limit " + BATCH;

	private final JdbcTemplate jdbc;

	private final ChatStore chats;

	private final ChatLifecycle lifecycle;

	private final SettingsService settings;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final Clock clock;

	private final PausePoints pauses;

	QueueAging(JdbcTemplate jdbc, ChatStore chats, ChatLifecycle lifecycle, SettingsService settings,
			CompanyLocks locks, Transactions transactions, Clock clock, PausePoints pauses) {
		this.pauses = pauses;
		this.jdbc = jdbc;
		this.chats = chats;
		this.lifecycle = lifecycle;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${auto-assign.queue-aging-interval:15s}",
			initialDelayString = "${auto-assign.queue-aging-interval:15s}")
	void scheduled() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			log.warn("Queue aging: sweep failed, tried again next time: {}", ex.toString());
		}
	}

	/** Raises every queued chat that is due; returns how many rose. */
	public int sweep() {
		Instant now = this.clock.instant();
		int raised = 0;
		List<Map<String, Object>> companies = this.jdbc
			.queryForList("select company_id, queue_aging_minutes from aa_company where queue_aging_minutes > 0");
		for (Map<String, Object> company : companies) {
			String companyId = (String) company.get("company_id");
			Duration period = Duration.ofMinutes(((Number) company.get("queue_aging_minutes")).longValue());
			for (String chatId : this.jdbc.queryForList(DUE, String.class, companyId,
					Timestamp.from(now.minus(period)))) {
				this.pauses.reached(PausePoints.Point.AGING_DUE, companyId, chatId);
				if (raise(companyId, chatId, now)) {
					raised++;
				}
			}
		}
		return raised;
	}

	/** Raises one chat by the periods it has waited at its level, if it still waits. */
	private boolean raise(String companyId, String chatId, Instant now) {
		return this.transactions.retrying(() -> {
			this.locks.shared(companyId);
			AutoAssignConfig config = this.settings.forRouting(companyId);
			Chat chat = this.chats.lock(companyId, chatId).orElse(null);
			if (chat == null || !config.agingEnabled() || !chat.isOpen()
					|| chat.assignmentStatus() != AssignmentStatus.QUEUED || chat.priority() == Priority.URGENT) {
				return false;
			}
			Timestamp since = this.jdbc.queryForObject(
					"select aging_since from aa_chat where company_id = ? and chat_id = ?", Timestamp.class, companyId,
					chatId);
			if (since == null) {
				return false;
			}
			Duration period = Duration.ofMinutes(config.queueAgingMinutes());
			long periods = Duration.between(since.toInstant(), now).dividedBy(period);
			if (periods < 1) {
				return false;
			}
			Priority raised = Priority.values()[(int) Math.min(Priority.URGENT.ordinal(),
					chat.priority().ordinal() + periods)];
			this.lifecycle.reprioritize(chat, raised, PriorityChange.AGING,
					since.toInstant().plus(period.multipliedBy(periods)));
			return true;
		});
	}

}
