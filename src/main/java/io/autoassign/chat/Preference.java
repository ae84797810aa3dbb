package io.autoassign.chat;

/**
 * The agent a chat prefers and why: the platform named it ({@code preferredAgentId} of
 * {@code POST .../chats}), or it handled the member's latest chat within
 * {@code stickyWindowDays} ({@code stickyAgentEnabled}).
 */
public record Preference(String agentId, Reason reason) {

	public enum Reason {

		REQUESTED, RETURNING_MEMBER

	}

}
