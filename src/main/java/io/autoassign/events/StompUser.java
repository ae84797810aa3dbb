package io.autoassign.events;

import java.security.Principal;

import io.autoassign.agent.Role;

/**
 * Who a WebSocket session belongs to: an agent or admin of one company (by token), or the host
 * platform watching a company as an admin (by API key, e.g. the live console).
 *
 * @param agentId the agent's id; {@value #PLATFORM} for the platform
 */
public record StompUser(String companyId, String agentId, Role role) implements Principal {

	/** The agent id of a platform session ('~' appears in no agent id, so it names no agent). */
	public static final String PLATFORM = "~platform";

	/** The user name of a session: unique across companies ('|' appears in no id). */
	public static String name(String companyId, String agentId) {
		return companyId + "|" + agentId;
	}

	@Override
	public String getName() {
		return name(this.companyId, this.agentId);
	}

	public boolean isAdmin() {
		return this.role == Role.ADMIN;
	}

}
