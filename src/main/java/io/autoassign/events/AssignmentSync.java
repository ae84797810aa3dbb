package io.autoassign.events;

import java.util.ArrayList;
import java.util.List;

import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;
import io.autoassign.platform.PausePoints;

import org.springframework.stereotype.Component;

/**
 * Builds CHAT_ASSIGNMENT_SYNC: what a user who just subscribed holds, and for admins the queue.
 */
@Component
class AssignmentSync {

	/** Queued chats an admin's sync lists at most. */
	static final int QUEUE_LIMIT = 1000;

	private final ChatStore chats;

	private final EventOutbox outbox;

	private final PausePoints pauses;

	AssignmentSync(ChatStore chats, EventOutbox outbox, PausePoints pauses) {
		this.chats = chats;
		this.outbox = outbox;
		this.pauses = pauses;
	}

	AutoAssignEvent.ChatAssignmentSync syncFor(StompUser user) {
		List<ChatView> held = this.chats.heldBy(user.companyId(), user.agentId()).stream().map(this.chats::view).toList();
		List<AutoAssignEvent.QueueEntry> queued = new ArrayList<>();
		if (user.isAdmin()) {
			int position = 1;
			for (Chat chat : this.chats.queued(user.companyId(), QUEUE_LIMIT)) {
				queued.add(new AutoAssignEvent.QueueEntry(chat.chatId(), position++, chat.queuedAt(),
						chat.assignedGroupId()));
			}
		}
		this.pauses.reached(PausePoints.Point.SYNC_READ, user.companyId(), null);
		return new AutoAssignEvent.ChatAssignmentSync(this.outbox.newEventId(), user.companyId(), this.outbox.now(),
				held, queued);
	}

}
