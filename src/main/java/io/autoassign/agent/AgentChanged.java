package io.autoassign.agent;

import io.autoassign.security.Role;

/**
 * Published inside the transaction that created or changed an agent (its role, groups or
 * status), after the agent's row is written and while it is locked.
 *
 * @param before the agent as it was, or {@code null} when it was just created
 */
public record AgentChanged(Agent before, Agent after) {

	/** Whether an existing agent's status just became {@code status}. */
	public boolean statusChangedTo(AgentStatus status) {
		return this.before != null && this.before.status() != status && this.after.status() == status;
	}

	/** Whether an existing agent's role just changed from AGENT to another. */
	public boolean leftAgentRole() {
		return this.before != null && this.before.role() == Role.AGENT && this.after.role() != Role.AGENT;
	}

}
