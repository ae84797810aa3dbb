package io.autoassign.assignment;

import java.time.Instant;

import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.CloseReason;
import io.autoassign.chat.Priority;
import io.autoassign.chat.PriorityChange;

import org.springframework.stereotype.Service;

/**
 * The transitions that take a chat out of automatic routing: an admin taking it over, and
 * closing it (by the platform or for inactivity). Each releases what the chat held in routing
 * ({@link Placements}); once the transaction has committed, the agent's slot comes back and the
 * queue is dispatched.
 */
@Service
public class ChatTransitions {

	private final ChatStore chats;

	private final Placements placements;

	ChatTransitions(ChatStore chats, Placements placements) {
		this.chats = chats;
		this.placements = placements;
	}

	/** Hands the chat to the admin: TAKEN_OVER, and no longer routed automatically. */
	public void takeOver(String companyId, String chatId, String adminId) {
		this.placements.takeOver(lock(companyId, chatId), adminId);
	}

	/** Closes the chat and frees its agent's slot or its place in the queue. */
	public void close(String companyId, String chatId, CloseReason reason) {
		Chat chat = lock(companyId, chatId);
		if (chat.isOpen()) {
			this.placements.close(chat, reason);
		}
	}

	/** Changes the priority of a chat whose row the caller has locked; a queued chat moves. */
	public void reprioritize(Chat chat, Priority priority, PriorityChange reason, Instant agingSince) {
		this.placements.reprioritize(chat, priority, reason, agingSince);
	}

	/** Re-takes a chat already TAKEN_OVER for another admin (no process change). */
	public void retakeOver(Chat chat, String adminId) {
		this.placements.takeOver(chat, adminId);
	}

	private Chat lock(String companyId, String chatId) {
		return this.chats.lock(companyId, chatId)
			.orElseThrow(() -> new IllegalStateException("Chat " + chatId + " of " + companyId + " is missing"));
	}

}
