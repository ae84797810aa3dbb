package io.autoassign.assignment;

import java.util.Optional;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Puts Redis back in line with the database after a transaction that wrote routing state
 * rolled back, so that a rolled-back assignment never leaves a capacity slot reserved. Each
 * chat is rewritten under its row lock in a transaction of its own: a concurrent transaction
 * changing the same chat either committed before (and the database shows it) or waits.
 */
@Component
class RoutingRepair {

	private static final Logger log = LoggerFactory.getLogger(RoutingRepair.class);

	private final Router router;

	private final RoutingRebuilder rebuilder;

	private final ChatStore chats;

	private final AgentService agents;

	private final SettingsService settings;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final ObjectProvider<RoutingListener> listener;

	RoutingRepair(Router router, RoutingRebuilder rebuilder, ChatStore chats, AgentService agents,
			SettingsService settings, CompanyLocks locks, Transactions transactions,
			ObjectProvider<RoutingListener> listener) {
		this.router = router;
		this.rebuilder = rebuilder;
		this.chats = chats;
		this.agents = agents;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.listener = listener;
	}

	void afterRollback(RoutingJournal journal) {
		for (String companyId : journal.missing) {
			try {
				this.rebuilder.rebuild(companyId);
			}
			catch (RuntimeException ex) {
				log.warn("Could not rebuild the routing state of company {}: {}", companyId, ex.toString());
			}
		}
		for (String companyId : journal.configs) {
			if (!journal.missing.contains(companyId)) {
				attempt("configuration of " + companyId, () -> repairConfig(companyId));
			}
		}
		for (RoutingJournal.AgentRef agent : journal.agents) {
			if (!journal.missing.contains(agent.companyId())) {
				attempt("agent " + agent, () -> repairAgent(agent));
			}
		}
		for (RoutingJournal.ChatRef chat : journal.chats) {
			if (!journal.missing.contains(chat.companyId())) {
				attempt("chat " + chat, () -> repairChat(chat));
			}
		}
	}

	private void repairConfig(String companyId) {
		this.locks.shared(companyId);
		this.router.syncConfig(companyId, this.settings.get(companyId).capacity());
	}

	private void repairAgent(RoutingJournal.AgentRef ref) {
		this.locks.shared(ref.companyId());
		Optional<Agent> agent = this.agents.lock(ref.companyId(), ref.agentId());
		if (agent.isPresent()) {
			if (this.router.syncAgent(agent.get()).eligible()) {
				this.listener.ifAvailable((l) -> l.capacityFreed(ref.companyId(), ref.agentId()));
			}
		}
		else {
			// The agent's creation rolled back: it must not stay in any pool.
			this.router.runUnjournaled(this.router.scriptsForRepair().syncAgent, ref.companyId(), ref.agentId(), "NONE",
					"OFFLINE", "", "", "1");
		}
	}

	private void repairChat(RoutingJournal.ChatRef ref) {
		this.locks.shared(ref.companyId());
		Chat chat = this.chats.lock(ref.companyId(), ref.chatId()).orElse(null);
		String freed = sync(this.router, chat, ref.companyId(), ref.chatId(), false);
		if (freed != null) {
			this.listener.ifAvailable((l) -> l.capacityFreed(ref.companyId(), freed));
		}
	}

	/** Writes the routing state the database holds for a chat (or none, when it is gone). */
	static String sync(Router router, Chat chat, String companyId, String chatId, boolean rebuilding) {
		if (chat != null && chat.isOpen()) {
			switch (chat.assignmentStatus()) {
				case ASSIGNED:
					return router.syncChat(companyId, chatId, "ASSIGNED", chat.assignedAgentId(), null, null, rebuilding);
				case QUEUED:
					return router.syncChat(companyId, chatId, "QUEUED", null, chat.queueSeq(), chat.queuePool(),
							rebuilding);
				default:
					break;
			}
		}
		return router.syncChat(companyId, chatId, "NONE", null, null, null, rebuilding);
	}

	private void attempt(String what, Runnable repair) {
		try {
			this.transactions.retryingInNewTransaction(() -> {
				repair.run();
				return null;
			});
		}
		catch (RoutingStateMissing ex) {
			// Rebuilt after this repair's own rollback; nothing left to repair.
		}
		catch (RuntimeException ex) {
			log.warn("Could not repair the routing state of {} after a rollback: {}", what, ex.toString());
		}
	}

}
