package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
 * What happens to Redis once a transaction that wrote routing state has completed.
 * <p>
 * Committed: the slots it released are given back, and each agent that can take chats again
 * drains the queue. Rolled back: Redis is put back in line with the database, so that a
 * rolled-back assignment never leaves a capacity slot reserved; each chat is rewritten under
 * its row lock in a transaction of its own, so a concurrent transaction changing the same chat
 * either committed before (and the database shows it) or waits. Companies whose state was
 * missing are rebuilt.
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

	void afterCommit(RoutingJournal journal) {
		Map<String, List<String>> byCompany = new LinkedHashMap<>();
		for (RoutingJournal.ChatRef chat : journal.leaving) {
			byCompany.computeIfAbsent(chat.companyId(), (c) -> new ArrayList<>()).add(chat.chatId());
		}
		byCompany.forEach((companyId, chatIds) -> {
			try {
				for (String agentId : this.router.finishRelease(companyId, chatIds)) {
					capacityFreed(companyId, agentId);
				}
			}
			catch (RuntimeException ex) {
				// The slots stay taken (the safe side) until the company's state is rebuilt.
				log.warn("Could not give back the slots of {} in company {}: {}", chatIds, companyId, ex.toString());
				this.rebuilder.rebuildLater(companyId);
			}
		});
	}

	void afterRollback(RoutingJournal journal) {
		for (String companyId : journal.missing) {
			try {
				this.rebuilder.rebuild(companyId);
			}
			catch (RuntimeException ex) {
				log.warn("Could not rebuild the routing state of company {}: {}", companyId, ex.toString());
				this.rebuilder.rebuildLater(companyId);
			}
		}
		for (String companyId : journal.configs) {
			if (!journal.missing.contains(companyId)) {
				attempt(companyId, "configuration of " + companyId, () -> repairConfig(companyId));
			}
		}
		for (RoutingJournal.AgentRef agent : journal.agents) {
			if (!journal.missing.contains(agent.companyId())) {
				String eligible = attempt(agent.companyId(), "agent " + agent, () -> repairAgent(agent));
				if (eligible != null) {
					capacityFreed(agent.companyId(), eligible);
				}
			}
		}
		for (RoutingJournal.ChatRef chat : journal.chats) {
			if (!journal.missing.contains(chat.companyId())) {
				String freed = attempt(chat.companyId(), "chat " + chat, () -> repairChat(chat));
				if (freed != null) {
					capacityFreed(chat.companyId(), freed);
				}
			}
		}
	}

	private String repairConfig(String companyId) {
		this.locks.shared(companyId);
		this.router.syncConfig(companyId, this.settings.get(companyId).capacity());
		return null;
	}

	/** Returns the agent's id when it can take chats. */
	private String repairAgent(RoutingJournal.AgentRef ref) {
		this.locks.shared(ref.companyId());
		Optional<Agent> agent = this.agents.lock(ref.companyId(), ref.agentId());
		if (agent.isPresent()) {
			return this.router.syncAgent(agent.get()).eligible() ? ref.agentId() : null;
		}
		// The agent's creation rolled back: it must not stay in any pool.
		this.router.runUnjournaled(this.router.scriptsForRepair().syncAgent, ref.companyId(), ref.agentId(), "NONE",
				"OFFLINE", "", "", "1");
		return null;
	}

	/** Returns the agent whose slot the repair gave back. */
	private String repairChat(RoutingJournal.ChatRef ref) {
		this.locks.shared(ref.companyId());
		Chat chat = this.chats.lock(ref.companyId(), ref.chatId()).orElse(null);
		return sync(this.router, chat, ref.companyId(), ref.chatId(), false);
	}

	private void capacityFreed(String companyId, String agentId) {
		try {
			this.listener.ifAvailable((l) -> l.capacityFreed(companyId, agentId));
		}
		catch (RuntimeException ex) {
			log.warn("Could not drain the queue of company {} into agent {}: {}", companyId, agentId, ex.toString());
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

	/** Runs a repair; when it fails, the company's state may have drifted and is rebuilt later. */
	private String attempt(String companyId, String what, Supplier<String> repair) {
		try {
			return this.transactions.retryingInNewTransaction(repair);
		}
		catch (RoutingStateMissing ex) {
			// Rebuilt after this repair's own rollback; nothing left to repair.
			return null;
		}
		catch (RuntimeException ex) {
			log.warn("Could not repair the routing state of {} after a rollback: {}", what, ex.toString());
			this.rebuilder.rebuildLater(companyId);
			return null;
		}
	}

}
