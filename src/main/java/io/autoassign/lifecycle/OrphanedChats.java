package io.autoassign.lifecycle;

import java.util.List;

import io.autoassign.assignment.ChatTransitions;
import io.autoassign.chat.CloseReason;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.CompanyLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Open chats whose lifecycle no longer runs: left by an operator's cancellation in a version
 * before {@link LifecycleCancellation} (which now closes the chat in the cancelling transaction),
 * they would hold their agent's slot or queue place for ever and answer 409 to a close. Once the
 * service is up, each such chat is closed with reason {@link CloseReason#CANCELLED}, as a
 * cancellation now does. Idempotent: several nodes starting together close each chat once.
 */
@Component
class OrphanedChats {

	private static final Logger log = LoggerFactory.getLogger(OrphanedChats.class);

	// One statement, one snapshot: a lifecycle starts in the transaction that records its id,
	// so a chat being created is never taken for an orphan.
	private static final String ORPHANS = "select c.company_id, c.chat_id from aa_chat c where c.status = 'OPEN' "
			+ "and c.process_instance_id is not null "
			+ "and not exists (select 1 from act_ru_execution e where e.id_ = c.process_instance_id)";

	private final JdbcTemplate jdbc;

	private final Transactions transactions;

	private final ChatTransitions transitions;

	private final CompanyLocks locks;

	OrphanedChats(JdbcTemplate jdbc, Transactions transactions, ChatTransitions transitions, CompanyLocks locks) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.transitions = transitions;
		this.locks = locks;
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStart() {
		try {
			int closed = repair();
			if (closed > 0) {
				log.warn("Closed {} open chat(s) whose lifecycle had been cancelled (reason CANCELLED)", closed);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not look for open chats without a lifecycle: {}", ex.toString());
		}
	}

	/** Closes every open chat whose lifecycle no longer runs; answers how many. */
	int repair() {
		List<String[]> orphans = this.jdbc.query(ORPHANS,
				(rs, n) -> new String[] { rs.getString(1), rs.getString(2) });
		for (String[] orphan : orphans) {
			this.transactions.retrying(() -> {
				// the company's lock, shared, as a close through the API takes it
				this.locks.shared(orphan[0]);
				this.transitions.close(orphan[0], orphan[1], CloseReason.CANCELLED);
			});
		}
		return orphans.size();
	}

}
