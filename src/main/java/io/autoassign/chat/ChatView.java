package io.autoassign.chat;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The chat document of the REST API and of the events that carry a chat.
 *
 * @param version the chat's event sequence: every change of its routing state raises it, and the
 * events of that change carry the number ({@code version}) it was raised to
 * @param updatedAt when the chat last changed state (created, assigned, queued, pending, taken
 * over, closed): with each raise of {@code version}; a message does not change it
 */
@JsonPropertyOrder({ "chatId", "companyId", "status", "assignmentStatus", "assignedAgentId", "assignedGroupId",
		"queuePosition", "member", "lastMessage", "createdAt", "closedAt", "closeReason", "version",
		"updatedAt" })
public record ChatView(String chatId, String companyId, ChatStatus status, AssignmentStatus assignmentStatus,
		String assignedAgentId, String assignedGroupId, Integer queuePosition, Member member, LastMessage lastMessage,
		Instant createdAt, Instant closedAt, CloseReason closeReason, long version, Instant updatedAt) {

	public record Member(String id, String name) {
	}

	public record LastMessage(Sender sender, String text, Instant at) {
	}

	/**
	 * @param queuePosition the 1-based position of a queued chat, ignored otherwise
	 */
	public static ChatView of(Chat chat, Integer queuePosition) {
		boolean queued = chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED;
		LastMessage last = chat.lastMessageAt() == null ? null
				: new LastMessage(chat.lastMessageSender(), chat.lastMessageText(), chat.lastMessageAt());
		return new ChatView(chat.chatId(), chat.companyId(), chat.status(), chat.assignmentStatus(),
				chat.assignedAgentId(), chat.assignedGroupId(), queued ? queuePosition : null,
				new Member(chat.memberId(), chat.memberName()), last, chat.createdAt(), chat.closedAt(),
				chat.closeReason(), chat.eventSeq(), chat.updatedAt());
	}

}
