package io.autoassign.agent;

/**
 * An agent's availability. ACTIVE receives chats; INACTIVE keeps its chats but receives none;
 * OFFLINE starts the offline grace period after which its chats are reassigned.
 */
public enum AgentStatus {

	ACTIVE, INACTIVE, OFFLINE

}
