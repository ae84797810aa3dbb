package io.autoassign.availability;

import java.util.ArrayList;
import java.util.List;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentChanged;
import io.autoassign.agent.AgentDeleted;
import io.autoassign.agent.AgentService;
import io.autoassign.agent.AgentStatus;
import io.autoassign.assignment.ChatRouting;
import io.autoassign.assignment.Router;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.events.AutoAssignEvent.AgentChatsReassigned;
import io.autoassign.events.EventOutbox;
import io.autoassign.events.UnassignReason;
import io.autoassign.queue.QueueDispatcher;
import io.autoassign.security.Role;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What an agent's availability means for routing. On every change of an agent, in the same
 * transaction: its routing state follows; going OFFLINE starts the grace period; ACTIVE again
 * cancels it; capacity that appears drains the queue; coming online starts re-balancing; an
 * agent that stops being an AGENT (promoted to ADMIN) has its chats re-routed at once. And when
 * the grace period ends, the agent's chats are re-routed in bulk.
 */
@Component
public class AgentAvailability {

	/** Queued chats an agent that became eligible takes within its own transaction. */
	static final int MAX_DRAIN = 100;

	private final Router router;

	private final SettingsService settings;

	private final AgentService agents;

	private final ChatStore chats;

	private final AvailabilityProcesses processes;

	private final ChatRouting routing;

	private final QueueDispatcher dispatcher;

	private final EventOutbox events;

	private final CompanyLocks locks;

	AgentAvailability(Router router, SettingsService settings, AgentService agents, ChatStore chats,
			AvailabilityProcesses processes, ChatRouting routing, QueueDispatcher dispatcher, EventOutbox events,
			CompanyLocks locks) {
		this.locks = locks;
		this.router = router;
		this.settings = settings;
		this.agents = agents;
		this.chats = chats;
		this.processes = processes;
		this.routing = routing;
		this.dispatcher = dispatcher;
		this.events = events;
	}

	@EventListener
	void agentChanged(AgentChanged change) {
		Agent agent = change.after();
		String companyId = agent.companyId();
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Router.AgentRouting routed = this.router.syncAgent(agent);
		if (change.leftAgentRole()) {
			// Promoted (or otherwise no longer an AGENT): its chats are routed again now, as going
			// offline past its grace period would; a grace period that runs is moot.
			if (agent.offlineProcessId() != null) {
				this.processes.cancelOfflineGrace(agent.offlineProcessId());
				this.agents.recordOfflineProcess(companyId, agent.agentId(), null);
			}
			reroute(companyId, agent.agentId(), UnassignReason.ROLE_CHANGED);
		}
		else if (change.statusChangedTo(AgentStatus.OFFLINE) && agent.role() == Role.AGENT
				&& config.autoReassignOnOffline() && agent.offlineProcessId() == null) {
			String processInstanceId = this.processes.startOfflineGrace(companyId, agent.agentId(),
					config.offlineGracePeriodMinutes());
			this.agents.recordOfflineProcess(companyId, agent.agentId(), processInstanceId);
		}
		if (change.statusChangedTo(AgentStatus.ACTIVE) && agent.offlineProcessId() != null) {
			// If the grace period already ran out, the reassignment sees the agent ACTIVE and stops.
			this.processes.cancelOfflineGrace(agent.offlineProcessId());
			this.agents.recordOfflineProcess(companyId, agent.agentId(), null);
		}
		if (routed.eligible()) {
			// The agent takes the oldest waiting chats at once, in this transaction.
			this.dispatcher.dispatchInThisTransaction(companyId, MAX_DRAIN);
		}
		if (change.statusChangedTo(AgentStatus.ACTIVE) && agent.role() == Role.AGENT
				&& config.rebalanceOnAgentOnline()) {
			this.processes.startRebalance(companyId, agent.agentId());
		}
		this.events.agentUpdated(companyId, this.agents.get(companyId, agent.agentId()));
	}

	/**
	 * The agent is being deleted (in that transaction, the company's lock held exclusively): it
	 * leaves its pools at once, a grace period that runs is moot, and its ASSIGNED chats are routed
	 * again now. (Chats it holds as an admin, TAKEN_OVER, stay closed to routing, as they would.)
	 */
	@EventListener
	void agentDeleted(AgentDeleted deleted) {
		Agent agent = deleted.agent();
		this.router.syncAgent(new Agent(agent.companyId(), agent.agentId(), agent.name(), agent.role(),
				agent.groupIds(), AgentStatus.OFFLINE, agent.statusChangedAt(), null));
		if (agent.offlineProcessId() != null) {
			this.processes.cancelOfflineGrace(agent.offlineProcessId());
		}
		reroute(agent.companyId(), agent.agentId(), UnassignReason.AGENT_DELETED);
	}

	/**
	 * The grace period is over: unless the agent is ACTIVE again, re-route each of its ASSIGNED
	 * chats, oldest first, in this one transaction, and send the summary.
	 */
	public void reassignChatsOf(String companyId, String agentId) {
		// Exclusively, before anything else of the company in this transaction: every routing
		// transaction in flight ends first, so an assignment that reserved this agent in Redis
		// before it went OFFLINE has committed and is among the chats re-routed here (even with no
		// grace period, when this runs right after the status change). Assignments that start
		// later see the agent ineligible.
		this.locks.exclusive(companyId);
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Agent agent = this.agents.lock(companyId, agentId).orElse(null);
		if (agent == null) {
			return;
		}
		this.agents.recordOfflineProcess(companyId, agentId, null);
		if (agent.status() == AgentStatus.ACTIVE || !config.autoReassignOnOffline()) {
			return;
		}
		reroute(companyId, agentId, UnassignReason.AGENT_OFFLINE);
	}

	/** Re-routes each of the agent's ASSIGNED chats, oldest first, and sends the summary. */
	private void reroute(String companyId, String agentId, UnassignReason reason) {
		List<AgentChatsReassigned.Reassigned> reassigned = new ArrayList<>();
		List<AgentChatsReassigned.Queued> queued = new ArrayList<>();
		for (Chat candidate : this.chats.lockAssignedTo(companyId, agentId)) {
			Chat chat = this.chats.lock(companyId, candidate.chatId()).orElse(null);
			if (chat == null || !chat.isAssigned() || !agentId.equals(chat.assignedAgentId())) {
				continue;
			}
			this.processes.reroute(chat, reason);
			ChatRouting.Result result = this.routing.routedInThisTransaction(chat.chatId());
			if (result == null) {
				continue;
			}
			switch (result.outcome()) {
				case ASSIGNED -> reassigned.add(new AgentChatsReassigned.Reassigned(chat.chatId(), result.agentId()));
				case QUEUED -> queued.add(new AgentChatsReassigned.Queued(chat.chatId(), result.queuePosition()));
				case PENDING, NO_AGENT -> {
					// auto-assign is disabled: the chat waits, neither reassigned nor queued
				}
			}
		}
		if (!reassigned.isEmpty() || !queued.isEmpty()) {
			this.events.agentChatsReassigned(companyId, agentId, reassigned, queued);
		}
	}

}
