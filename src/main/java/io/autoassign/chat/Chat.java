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
		CloseReason closeReason, CloseDetail closeDetail, String processInstanceId, long eventSeq, Instant updatedAt,
		Instant memberWaitingSinceColumn, Priority priority, Preference preference) {

	public Chat {
		priority = priority == null ? Priority.NORMAL : priority;
	}

	/** A chat as {@link ChatStore} inserts it: open, PENDING, nothing assigned yet. */
	static Chat created(String companyId, String chatId, WaitingFor waitingFor, String memberId, String memberName,
			String message, Priority priority, Preference preference, Instant now) {
		return new Chat(companyId, chatId, 0, ChatStatus.OPEN, AssignmentStatus.PENDING, waitingFor, null, null, null,
				null, null, null, memberId, memberName, message == null ? null : Sender.MEMBER, message,
				message == null ? null : now, now, now, null, null, null, null, 0, now, null, priority, preference);
	}

	/** This chat with the creation sequence the database gave it. */
	Chat withSeq(long newSeq) {
		return new Chat(this.companyId, this.chatId, newSeq, this.status, this.assignmentStatus, this.waitingFor,
				this.assignedAgentId, this.assignedGroupId, this.assignedAt, this.queuedAt, this.queueSeq, this.queuePool,
				this.memberId, this.memberName, this.lastMessageSender, this.lastMessageText, this.lastMessageAt,
				this.lastActivityAt, this.createdAt, this.closedAt, this.closeReason, this.closeDetail,
				this.processInstanceId, this.eventSeq, this.updatedAt, this.memberWaitingSinceColumn, this.priority,
				this.preference);
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
				this.closeReason, this.closeDetail, this.processInstanceId, newEventSeq, at, this.memberWaitingSinceColumn,
				this.priority, this.preference);
	}

	/**
	 * This chat with {@code priority} (and, queued, the rank {@code queueSeq} of its new place)
	 * at {@code at}, by the transaction that raised its event sequence to {@code newEventSeq}.
	 */
	public Chat withPriority(Priority newPriority, Long newQueueSeq, Instant at, long newEventSeq) {
		return new Chat(this.companyId, this.chatId, this.seq, this.status, this.assignmentStatus, this.waitingFor,
				this.assignedAgentId, this.assignedGroupId, this.assignedAt, this.queuedAt,
				newQueueSeq == null ? this.queueSeq : newQueueSeq, this.queuePool, this.memberId, this.memberName,
				this.lastMessageSender, this.lastMessageText, this.lastMessageAt, this.lastActivityAt, this.createdAt,
				this.closedAt, this.closeReason, this.closeDetail, this.processInstanceId, newEventSeq, at,
				this.memberWaitingSinceColumn, newPriority, this.preference);
	}

	/** This chat as it is once closed for {@code reason} (what the routing core writes). */
	public Chat closedFor(CloseReason reason, Instant at, long newEventSeq) {
		return new Chat(this.companyId, this.chatId, this.seq, ChatStatus.CLOSED, this.assignmentStatus, null,
				this.assignedAgentId, this.assignedGroupId, this.assignedAt, null, null, null, this.memberId,
				this.memberName, this.lastMessageSender, this.lastMessageText, this.lastMessageAt, this.lastActivityAt,
				this.createdAt, at, reason, this.closeDetail, this.processInstanceId, newEventSeq, at,
				this.memberWaitingSinceColumn, this.priority, this.preference);
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

	/**
	 * Since when the member waits for an answer: the first MEMBER message after the last AGENT
	 * message; {@code null} while the last message is the agent's, or there is none.
	 */
	public Instant memberWaitingSince() {
		if (this.lastMessageSender != Sender.MEMBER) {
			return null;
		}
		// a chat created with its first message has no column value yet: that message started it
		return this.memberWaitingSinceColumn != null ? this.memberWaitingSinceColumn : this.lastMessageAt;
	}

	/**
	 * Since when the member of an ASSIGNED chat waits for its agent's answer (the later of the
	 * assignment and {@link #memberWaitingSince}); {@code null} when not ASSIGNED or not waiting.
	 */
	public Instant awaitingReplySince() {
		Instant waiting = memberWaitingSince();
		if (!isAssigned() || waiting == null) {
			return null;
		}
		return this.assignedAt != null && this.assignedAt.isAfter(waiting) ? this.assignedAt : waiting;
	}

}
