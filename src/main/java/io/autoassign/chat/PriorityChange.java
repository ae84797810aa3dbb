package io.autoassign.chat;

/**
 * Why a chat's priority changed (CHAT_PRIORITY_CHANGED's {@code reason}): the platform or an
 * admin set it ({@code PUT .../chats/{chatId}/priority}), or the chat waited in the queue for
 * {@code queueAgingMinutes} and rose one level.
 */
public enum PriorityChange {

	REQUESTED, AGING

}
