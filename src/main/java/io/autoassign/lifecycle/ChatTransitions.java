package io.autoassign.lifecycle;

import java.time.Clock;
import java.time.Instant;

import io.autoassign.assignment.Router;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.CloseReason;
import io.autoassign.events.EventOutbox;
import io.autoassign.events.UnassignReason;

import org.springframework.stereotype.Service;

/**
 * The transitions that take a chat out of automatic routing: an admin taking it over, and
 * closing it (by the platform or for inactivity). Each releases what the chat held in routing;
 * once the transaction has committed, the agent's slot comes back and the queue drains into it
 * (see {@link Router}).
 */
@Service
public class ChatTransitions {

	private final ChatStore chats;

	private final Router router;

	private final EventOutbox events;

	private final Clock clock;

	ChatTransitions(ChatStore chats, Router router, EventOutbox events, Clock clock) {
		this.chats = chats;
		this.router = router;
		this.events = events;
		this.clock = clock;
	}

	/** Hands the chat to the admin: TAKEN_OVER, and no longer routed automatically. */
	public void takeOver(String companyId, String chatId, String adminId) {
		Chat chat = lock(companyId, chatId);
		String previous = chat.holder();
		this.router.release(companyId, chatId);
		long sequence = this.chats.markTakenOver(companyId, chatId, adminId, this.clock.instant());
		this.events.chatTakenOver(companyId, chatId, adminId, previous, sequence);
		if (previous != null && !previous.equals(adminId)) {
			this.events.chatUnassigned(companyId, chatId, previous, UnassignReason.TAKEN_OVER, sequence);
		}
	}

	/** Closes the chat and frees its agent's slot or its place in the queue. */
	public void close(String companyId, String chatId, CloseReason reason) {
		Chat chat = lock(companyId, chatId);
		if (!chat.isOpen()) {
			return;
		}
		String holder = chat.holder();
		this.router.release(companyId, chatId);
		Instant now = this.clock.instant();
		long sequence = this.chats.markClosed(companyId, chatId, reason, now);
		if (holder != null) {
			this.events.chatUnassigned(companyId, chatId, holder, UnassignReason.CLOSED, sequence);
		}
	}

	/** Re-takes a chat already TAKEN_OVER for another admin (no process change). */
	public void retakeOver(Chat chat, String adminId) {
		String previous = chat.assignedAgentId();
		long sequence = this.chats.markTakenOver(chat.companyId(), chat.chatId(), adminId, this.clock.instant());
		this.events.chatTakenOver(chat.companyId(), chat.chatId(), adminId, previous, sequence);
		if (previous != null && !previous.equals(adminId)) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, UnassignReason.TAKEN_OVER, sequence);
		}
	}

	private Chat lock(String companyId, String chatId) {
		return this.chats.lock(companyId, chatId)
			.orElseThrow(() -> new IllegalStateException("Chat " + chatId + " of " + companyId + " is missing"));
	}

	static boolean isTakenOver(Chat chat) {
		return chat.assignmentStatus() == AssignmentStatus.TAKEN_OVER;
	}

}
