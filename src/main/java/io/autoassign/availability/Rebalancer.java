package io.autoassign.availability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.agent.AgentStatus;
import io.autoassign.assignment.Placements;
import io.autoassign.assignment.RoutingKeys;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.security.Role;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;

import org.springframework.stereotype.Component;

/**
 * Re-balancing: an agent that came online receives chats from the most loaded agents, one at
 * a time, while the donor holds at least two more chats than the receiver, so loads end as even
 * as possible. Only chats idle for the company's idle threshold move (an active conversation
 * is never interrupted), never TAKEN_OVER chats, never above the receiver's capacity, and with
 * group-based assignment only within the chat's group, and never while a queued chat waits that
 * the receiver could serve (it takes that one first). Each move is an atomic Redis step that
 * re-checks loads, eligibility and the queue.
 */
@Component
public class Rebalancer {

	/** Candidate chats read per donor per round. */
	private static final int CANDIDATES = 20;

	private final AgentService agents;

	private final SettingsService settings;

	private final ChatStore chats;

	private final Placements placements;

	private final Clock clock;

	Rebalancer(AgentService agents, SettingsService settings, ChatStore chats, Placements placements, Clock clock) {
		this.agents = agents;
		this.settings = settings;
		this.chats = chats;
		this.placements = placements;
		this.clock = clock;
	}

	/** Moves idle chats to the agent until loads are as even as possible; returns how many moved. */
	public int rebalanceTo(String companyId, String agentId) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Agent target = this.agents.find(companyId, agentId).orElse(null);
		if (target == null || !config.enabled() || !config.rebalanceOnAgentOnline() || target.role() != Role.AGENT
				|| target.status() != AgentStatus.ACTIVE) {
			return 0;
		}
		Instant now = this.clock.instant();
		if (!config.openAt(now)) {
			// outside business hours chats stay with the agents that hold them
			return 0;
		}
		Instant idleSince = now.minus(Duration.ofMinutes(config.chatIdleThresholdMinutes()));
		int moved = 0;
		boolean progress = true;
		while (progress) {
			progress = false;
			Map<String, Integer> loads = this.chats.loads(companyId);
			int targetLoad = loads.getOrDefault(agentId, 0);
			if (config.capacity() >= 0 && targetLoad >= config.capacity()) {
				break;
			}
			List<Map.Entry<String, Integer>> donors = loads.entrySet()
				.stream()
				.filter((e) -> !e.getKey().equals(agentId) && e.getValue() - targetLoad >= 2)
				.sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
					.thenComparing(Map.Entry.comparingByKey()))
				.toList();
			donors: for (Map.Entry<String, Integer> donor : donors) {
				for (Chat candidate : this.chats.idleAssignedTo(companyId, donor.getKey(), idleSince, CANDIDATES)) {
					if (move(candidate, donor.getKey(), target, config, idleSince)) {
						moved++;
						progress = true;
						break donors;
					}
				}
			}
		}
		return moved;
	}

	private boolean move(Chat candidate, String from, Agent target, AutoAssignConfig config, Instant idleSince) {
		String group = candidate.assignedGroupId();
		boolean withinGroup = config.groupBasedAssignment() && group != null;
		if (withinGroup && !target.groupIds().contains(group)) {
			return false;
		}
		Chat chat = this.chats.lock(candidate.companyId(), candidate.chatId()).orElse(null);
		if (chat == null || !chat.isAssigned() || !from.equals(chat.assignedAgentId())
				|| chat.lastActivityAt().isAfter(idleSince)) {
			return false;
		}
		return this.placements.move(chat, from, target.agentId(), RoutingKeys.pool(withinGroup ? group : null));
	}

}
