package io.autoassign.agent;

/**
 * Published inside the transaction that deletes an agent, before its row goes: its chats are
 * routed again and its sessions closed by the features that listen.
 */
public record AgentDeleted(Agent agent) {
}
