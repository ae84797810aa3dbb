package io.autoassign.chat;

import java.time.Instant;

/**
 * Which chats a listing returns; {@code null} fields do not filter.
 *
 * @param agentId the agent or admin that holds (or, for a closed chat, last held) the chat
 * @param updatedSince chats whose state changed at or after this moment
 */
public record ChatFilter(ChatStatus status, AssignmentStatus assignmentStatus, String agentId, String groupId,
		Instant updatedSince) {

	/** Every open chat. */
	public static final ChatFilter OPEN = new ChatFilter(ChatStatus.OPEN, null, null, null, null);

}
