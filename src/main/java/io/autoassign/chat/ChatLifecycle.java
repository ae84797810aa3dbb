package io.autoassign.chat;

import java.time.Instant;
import java.util.List;

import io.autoassign.settings.AutoAssignConfig;

/**
 * What the chat API asks of a chat's lifecycle: start it, and hand it the events the host
 * platform and the admins report. The lifecycle package implements it (it binds the BPMN), so
 * that the chat feature does not depend on the engine binding.
 */
public interface ChatLifecycle {

	/** What a new chat's lifecycle starts with. */
	record Start(Chat chat, AutoAssignConfig config, Instant inactivityDueAt) {
	}

	/**
	 * Starts the lifecycles of several chats in one engine command, so that the engine writes
	 * them together (one batch per table instead of one per chat); returns their process
	 * instance ids in order. A failure of one fails all: the caller's transaction rolls back.
	 */
	List<String> startChats(List<Start> chats);

	/** The customer picked an Auto-Menu option (the group is already on the chat). */
	void menuSelected(Chat chat);

	/** An admin takes the chat over. */
	void takeOver(Chat chat, String adminId);

	/** Another admin re-takes a chat already TAKEN_OVER (the lifecycle does not change). */
	void retakeOver(Chat chat, String adminId);

	/**
	 * The chat's priority changes (the lifecycle does not change); a queued chat moves to its
	 * new place in the queue. {@code agingSince}: from when the new priority counts towards the
	 * next raise by queue aging.
	 */
	void reprioritize(Chat chat, Priority priority, PriorityChange reason, Instant agingSince);

	/** The chat is closed by the host platform. */
	void close(Chat chat);

}
