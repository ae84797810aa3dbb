package io.autoassign.events;

/**
 * Why a chat left its agent (CHAT_UNASSIGNED's {@code reason}). ROLE_CHANGED: the agent's role
 * changed away from AGENT, and its chats were routed again; AGENT_DELETED: the agent was
 * deleted, and its chats were routed again; NO_REPLY: the member waited
 * {@code noReplyMinutes} for the agent's answer, and the chat went to another agent.
 */
public enum UnassignReason {

	AGENT_OFFLINE, REBALANCED, TAKEN_OVER, CLOSED, ROLE_CHANGED, AGENT_DELETED, NO_REPLY

}
