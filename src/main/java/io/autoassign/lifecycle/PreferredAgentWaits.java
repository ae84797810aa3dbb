package io.autoassign.lifecycle;

import java.util.HashSet;
import java.util.Set;

import io.autoassign.agent.AgentChanged;
import io.autoassign.agent.AgentStatus;
import io.autoassign.assignment.DispatchNeeded;
import io.autoassign.assignment.RoutingState;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.WaitingFor;
import io.autoassign.platform.AfterTransaction;
import io.autoassign.platform.Transactions;
import io.autoassign.security.Role;
import io.autoassign.settings.CompanyLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Ends the wait of chats for their preferred agent the moment that agent may take a chat: after
 * every commit that freed capacity (the same moment the queue is dispatched) or made an agent
 * ACTIVE, each agent that is eligible now wakes the oldest chat waiting for it (message
 * PreferredAgentFree). The chat is then
 * routed again: to that agent, unless an older queued chat it could serve comes first, in which
 * case it waits on until its deadline.
 */
@Component
class PreferredAgentWaits {

	private static final Logger log = LoggerFactory.getLogger(PreferredAgentWaits.class);

	/** Waiting chats looked at per commit. */
	static final int LIMIT = 100;

	private final ChatStore chats;

	private final RoutingState routing;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final ChatProcesses processes;

	private final AfterTransaction after;

	PreferredAgentWaits(ChatStore chats, RoutingState routing, CompanyLocks locks, Transactions transactions,
			ChatProcesses processes, AfterTransaction after) {
		this.after = after;
		this.chats = chats;
		this.routing = routing;
		this.locks = locks;
		this.transactions = transactions;
		this.processes = processes;
	}

	/** An agent that came back ACTIVE may take the chats waiting for it, once its change commits. */
	@EventListener
	void agentChanged(AgentChanged change) {
		if (change.statusChangedTo(AgentStatus.ACTIVE) && change.after().role() == Role.AGENT) {
			String companyId = change.after().companyId();
			this.after.run("wake the chats waiting for agent " + change.after().agentId(),
					() -> capacityFreed(new DispatchNeeded(companyId)));
		}
	}

	@EventListener
	void capacityFreed(DispatchNeeded needed) {
		try {
			wake(needed.companyId());
		}
		catch (RuntimeException ex) {
			// the chat's own deadline still routes it
			log.warn("Could not wake the chats waiting for their preferred agent in {}: {}", needed.companyId(),
					ex.toString());
		}
	}

	/** Wakes, per eligible agent, the oldest chat waiting for it; answers how many woke. */
	int wake(String companyId) {
		Set<String> offered = new HashSet<>();
		int woken = 0;
		for (Chat waiting : this.chats.waitingForPreferredAgent(companyId, LIMIT)) {
			String agentId = waiting.preference() == null ? null : waiting.preference().agentId();
			if (agentId == null || offered.contains(agentId) || !this.routing.isEligible(companyId, agentId)) {
				continue;
			}
			offered.add(agentId);
			boolean woke = this.transactions.retrying(() -> {
				this.locks.shared(companyId);
				Chat chat = this.chats.lock(companyId, waiting.chatId()).orElse(null);
				if (chat == null || !chat.isOpen() || chat.assignmentStatus() != AssignmentStatus.PENDING
						|| chat.waitingFor() != WaitingFor.PREFERRED_AGENT) {
					return false;
				}
				this.processes.preferredAgentFree(chat);
				return true;
			});
			woken += woke ? 1 : 0;
		}
		return woken;
	}

}
