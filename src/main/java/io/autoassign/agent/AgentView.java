package io.autoassign.agent;

import java.util.List;

import io.autoassign.security.Role;

/**
 * The agent document of the REST API.
 *
 * @param activeChats open chats the agent holds: assigned ones, and for admins the ones taken over
 */
public record AgentView(String agentId, String name, Role role, List<String> groupIds, AgentStatus status,
		int activeChats) {

	static AgentView of(Agent agent, int activeChats) {
		return new AgentView(agent.agentId(), agent.name(), agent.role(), agent.groupIds(), agent.status(),
				activeChats);
	}

}
