package io.autoassign.events;

import java.time.Instant;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;

import org.springframework.stereotype.Component;

/**
 * The "publish event" building block: announces a chat's current state as one of the contract's
 * events, numbered as part of the transaction that brought the chat there.
 */
@Component
public class ChatAnnouncements {

	/** The event types a process can publish this way. */
	enum Announceable {

		/** To every admin: the chat waits in the queue (position from the enqueue step when known). */
		CHAT_QUEUED,

		/** To the assigned agent and every admin: the chat is with its agent. */
		CHAT_ASSIGNED

	}

	private final ChatStore chats;

	private final EventOutbox events;

	ChatAnnouncements(ChatStore chats, EventOutbox events) {
		this.chats = chats;
		this.events = events;
	}

	/**
	 * Announces the chat; a CHAT_QUEUED with the position, reason and opening time the enqueue
	 * step found (each {@code null} when not known: the position is then read, the reason is
	 * NO_AGENT_AVAILABLE).
	 */
	public void announce(String companyId, String chatId, String eventType, Integer queuePosition,
			QueueReason queueReason, Instant opensAt) {
		if (eventType == null) {
			throw new IllegalArgumentException("The publish-event step needs its eventType input");
		}
		Announceable type = Announceable.valueOf(eventType);
		Chat chat = this.chats.find(companyId, chatId)
			.orElseThrow(() -> new IllegalStateException("Chat " + chatId + " of " + companyId + " is missing"));
		switch (type) {
			case CHAT_QUEUED -> {
				if (chat.assignmentStatus() != AssignmentStatus.QUEUED || chat.queueSeq() == null) {
					throw new IllegalStateException("Chat " + chatId + " is not queued");
				}
				int position = queuePosition != null ? queuePosition
						: this.chats.queuePosition(companyId, chat.queueSeq());
				this.events.chatQueued(companyId, chatId, position, chat.assignedGroupId(), queueReason, opensAt,
						chat.priority(), this.chats.estimatedWait(chat), chat.eventSeq());
			}
			case CHAT_ASSIGNED -> {
				if (chat.assignmentStatus() != AssignmentStatus.ASSIGNED) {
					throw new IllegalStateException("Chat " + chatId + " is not assigned");
				}
				this.events.chatAssigned(ChatView.of(chat, null), chat.eventSeq());
			}
		}
	}

}
