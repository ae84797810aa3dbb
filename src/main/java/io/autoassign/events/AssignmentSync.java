package io.autoassign.events;

import java.util.ArrayList;
import java.util.List;

import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatFilter;
import io.autoassign.chat.ChatListing;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.WaitEstimates;
import io.autoassign.domain.NotFoundException;
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

	private final ChatListing listing;

	private final WaitEstimates estimates;

	AssignmentSync(ChatStore chats, EventOutbox outbox, PausePoints pauses, ChatListing listing,
			WaitEstimates estimates) {
		this.estimates = estimates;
		this.chats = chats;
		this.listing = listing;
		this.outbox = outbox;
		this.pauses = pauses;
	}

	AutoAssignEvent.ChatAssignmentSync syncFor(StompUser user) {
		List<ChatView> held = this.chats.heldBy(user.companyId(), user.agentId()).stream().map(this.chats::view).toList();
		List<AutoAssignEvent.QueueEntry> queued = new ArrayList<>();
		if (user.isAdmin()) {
			queued.addAll(QueueEntries.of(user.companyId(), this.chats.queued(user.companyId(), QUEUE_LIMIT),
					this.estimates));
		}
		List<ChatView> open = null;
		String openNext = null;
		if (user.isPlatform()) {
			try {
				ChatListing.Page page = this.listing.list(user.companyId(), ChatFilter.OPEN, null, ChatListing.MAX_LIMIT);
				open = page.chats();
				openNext = page.next();
			}
			catch (NotFoundException ex) {
				// a company not created yet has no chats
				open = List.of();
			}
		}
		this.pauses.reached(PausePoints.Point.SYNC_READ, user.companyId(), null);
		return new AutoAssignEvent.ChatAssignmentSync(this.outbox.newEventId(), user.companyId(), this.outbox.now(),
				held, queued, open, openNext);
	}

}
