package io.autoassign.chat;

import java.time.Instant;

/**
 * A chat as stored in {@code aa_chat}, the source of truth for its state.
 *
 * @param queuePool the routing pool a queued chat waits in: {@code *} or {@code g:<group>}
 * @param eventSeq the number of the last transaction that emitted events about the chat
 * @param updatedAt when the chat last changed state (every raise of {@code eventSeq}, and its creation)
 */
public record Chat(String companyId, String chatId, long seq, ChatStatus status, AssignmentStatus assignmentStatus,
		WaitingFor waitingFor, String assignedAgentId, String assignedGroupId, Instant assignedAt, Instant queuedAt,
		Long queueSeq, String queuePool, String memberId, String memberName, Sender lastMessageSender,
		String lastMessageText, Instant lastMessageAt, Instant lastActivityAt, Instant createdAt, Instant closedAt,
		CloseReason closeReason, String processInstanceId, long eventSeq, Instant updatedAt) {

	/** A chat as {@link ChatStore} inserts it: open, PENDING, nothing assigned yet. */
	static Chat created(String companyId, String chatId, WaitingFor waitingFor, String memberId, String memberName,
			String message, Instant now) {
		return new Chat(companyId, chatId, 0, ChatStatus.OPEN, AssignmentStatus.PENDING, waitingFor, null, null, null,
				null, null, null, memberId, memberName, message == null ? null : Sender.MEMBER, message,
				message == null ? null : now, now, now, null, null, null, 0, now);
	}

	/** This chat with the creation sequence the database gave it. */
	Chat withSeq(long newSeq) {
		return new Chat(this.companyId, this.chatId, newSeq, this.status, this.assignmentStatus, this.waitingFor,
				this.assignedAgentId, this.assignedGroupId, this.assignedAt, this.queuedAt, this.queueSeq, this.queuePool,
				this.memberId, this.memberName, this.lastMessageSender, this.lastMessageText, this.lastMessageAt,
				this.lastActivityAt, this.createdAt, this.closedAt, this.closeReason, this.processInstanceId,
				this.eventSeq, this.updatedAt);
	}

	public boolean isOpen() {
		return this.status == ChatStatus.OPEN;
	}

	public boolean isAssigned() {
		return isOpen() && this.assignmentStatus == AssignmentStatus.ASSIGNED;
	}

	/**
	 * This chat as it is once assigned to {@code agentId} at {@code at} by the transaction that
	 * raised its event sequence to {@code newEventSeq} (what the routing core writes).
	 */
	public Chat assignedTo(String agentId, Instant at, long newEventSeq) {
		return new Chat(this.companyId, this.chatId, this.seq, this.status, AssignmentStatus.ASSIGNED, null, agentId,
				this.assignedGroupId, at, null, null, null, this.memberId, this.memberName, this.lastMessageSender,
				this.lastMessageText, this.lastMessageAt, this.lastActivityAt, this.createdAt, this.closedAt,
				this.closeReason, this.processInstanceId, newEventSeq, at);
	}

	/** This chat as it is once closed for {@code reason} (what the routing core writes). */
	public Chat closedFor(CloseReason reason, Instant at, long newEventSeq) {
		return new Chat(this.companyId, this.chatId, this.seq, ChatStatus.CLOSED, this.assignmentStatus, null,
				this.assignedAgentId, this.assignedGroupId, this.assignedAt, null, null, null, this.memberId,
				this.memberName, this.lastMessageSender, this.lastMessageText, this.lastMessageAt, this.lastActivityAt,
				this.createdAt, at, reason, this.processInstanceId, newEventSeq, at);
	}

	/** Whether the chat has been with an agent (or admin) before. */
	public boolean everAssigned() {
		return this.assignedAt != null;
	}

	/** The agent or admin holding the chat, if any. */
	public String holder() {
		return (isOpen() && (this.assignmentStatus == AssignmentStatus.ASSIGNED
				|| this.assignmentStatus == AssignmentStatus.TAKEN_OVER)) ? this.assignedAgentId : null;
	}

}
