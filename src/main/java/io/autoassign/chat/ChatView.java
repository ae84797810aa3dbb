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
 * @param assignedAt when the agent or admin holding the chat got it ({@code null} when nobody
 * holds it)
 * @param awaitingReplySince while ASSIGNED, since when the member waits for the agent's answer:
 * the later of the assignment and the first MEMBER message after the last AGENT message
 * ({@code null} when the member does not wait); the no-reply clock runs from it
 * @param priority LOW, NORMAL, HIGH or URGENT: the queue serves higher priorities first, each in
 * arrival order
 * @param estimatedWaitSeconds a queued chat's expected wait from now ({@link WaitEstimates};
 * {@code null} when not queued or when the recent history is too thin)
 * @param preferredAgentId the agent the chat prefers ({@code null}: none), and {@code preference}
 * why: REQUESTED (the platform named it) or RETURNING_MEMBER (it handled the member's latest chat)
 */
@JsonPropertyOrder({ "chatId", "companyId", "status", "assignmentStatus", "assignedAgentId", "assignedGroupId",
		"queuePosition", "member", "lastMessage", "createdAt", "closedAt", "closeReason", "version",
		"updatedAt", "assignedAt", "awaitingReplySince", "priority", "estimatedWaitSeconds", "preferredAgentId",
		"preference" })
public record ChatView(String chatId, String companyId, ChatStatus status, AssignmentStatus assignmentStatus,
		String assignedAgentId, String assignedGroupId, Integer queuePosition, Member member, LastMessage lastMessage,
		Instant createdAt, Instant closedAt, CloseReason closeReason, CloseDetail closeDetail, long version,
		Instant updatedAt, Instant assignedAt, Instant awaitingReplySince, Priority priority,
		Integer estimatedWaitSeconds, String preferredAgentId, Preference.Reason preference) {

	public record Member(String id, String name) {
	}

	public record LastMessage(Sender sender, String text, Instant at) {
	}

	/**
	 * @param queuePosition the 1-based position of a queued chat, ignored otherwise
	 */
	public static ChatView of(Chat chat, Integer queuePosition) {
		return of(chat, queuePosition, null);
	}

	/**
	 * @param queuePosition the 1-based position of a queued chat, ignored otherwise
	 * @param estimatedWaitSeconds a queued chat's estimated wait ({@link WaitEstimates}), ignored otherwise
	 */
	public static ChatView of(Chat chat, Integer queuePosition, Integer estimatedWaitSeconds) {
		boolean queued = chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED;
		LastMessage last = chat.lastMessageAt() == null ? null
				: new LastMessage(chat.lastMessageSender(), chat.lastMessageText(), chat.lastMessageAt());
		return new ChatView(chat.chatId(), chat.companyId(), chat.status(), chat.assignmentStatus(),
				chat.assignedAgentId(), chat.assignedGroupId(), queued ? queuePosition : null,
				new Member(chat.memberId(), chat.memberName()), last, chat.createdAt(), chat.closedAt(),
				chat.closeReason(), chat.closeDetail(), chat.eventSeq(), chat.updatedAt(),
				chat.holder() != null ? chat.assignedAt() : null, chat.awaitingReplySince(), chat.priority(),
				queued ? estimatedWaitSeconds : null, chat.preference() == null ? null : chat.preference().agentId(),
				chat.preference() == null ? null : chat.preference().reason());
	}

}
