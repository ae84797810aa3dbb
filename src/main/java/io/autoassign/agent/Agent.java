package io.autoassign.agent;

import java.time.Instant;
import java.util.List;

import io.autoassign.security.Role;

/**
 * A member of a company's team as stored in {@code aa_agent}.
 */
public record Agent(String companyId, String agentId, String name, Role role, List<String> groupIds,
		AgentStatus status, Instant statusChangedAt, String offlineProcessId) {

	public Agent {
		groupIds = List.copyOf(groupIds);
	}

	public boolean isAdmin() {
		return this.role == Role.ADMIN;
	}

}
