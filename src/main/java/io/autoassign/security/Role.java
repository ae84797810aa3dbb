package io.autoassign.security;

/**
 * What a member of a company's team is. Only agents receive automatic assignments; admins
 * configure, watch the queue and take chats over.
 */
public enum Role {

	AGENT, ADMIN

}
