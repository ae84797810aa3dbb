package io.autoassign.assignment;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.transaction.support.TransactionSynchronization;

/**
 * What the current transaction changed in Redis: the chats, agents and companies whose routing
 * state it wrote, and the companies whose state it found missing. Redis does not take part in
 * the database transaction, so when the transaction rolls back the {@link RoutingRepair}
 * rewrites exactly these from the database, and missing companies are rebuilt; when it commits,
 * the slots it released are given back.
 */
final class RoutingJournal implements TransactionSynchronization {

	record ChatRef(String companyId, String chatId) {
	}

	record AgentRef(String companyId, String agentId) {
	}

	final Set<ChatRef> chats = new LinkedHashSet<>();

	final Set<AgentRef> agents = new LinkedHashSet<>();

	final Set<String> configs = new LinkedHashSet<>();

	final Set<String> missing = new LinkedHashSet<>();

	/** Chats whose slot this transaction gives back: freed once it has committed. */
	final Set<ChatRef> leaving = new LinkedHashSet<>();

	private final RoutingRepair repair;

	RoutingJournal(RoutingRepair repair) {
		this.repair = repair;
	}

	@Override
	public void afterCompletion(int status) {
		if (status == STATUS_COMMITTED) {
			this.repair.afterCommit(this);
		}
		else {
			this.repair.afterRollback(this);
		}
	}

}
