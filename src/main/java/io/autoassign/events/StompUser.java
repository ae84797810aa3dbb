package io.autoassign.events;

import java.security.Principal;
import java.time.Instant;

import io.autoassign.security.Role;

/**
 * Who a WebSocket session belongs to: an agent or admin of one company (by token), or the host
 * platform watching a company as an admin (by API key, e.g. the live console). Fixed when the
 * session connects: a session keeps the role and lifetime of the token that opened it, and is
 * closed when they no longer hold ({@link SessionRevocation}).
 *
 * @param agentId the agent's id; {@value #PLATFORM} for the platform
 * @param expiresAt when the token that opened the session expires; {@code null} for the platform
 */
record StompUser(String companyId, String agentId, Role role, Instant expiresAt) implements Principal {

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

	public boolean isPlatform() {
		return PLATFORM.equals(this.agentId);
	}

	/** Whether the token that opened the session has expired at {@code now}. */
	public boolean expiredAt(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

}
