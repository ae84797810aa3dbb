package io.autoassign.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.autoassign.chat.Chat;
import io.autoassign.chat.WaitEstimates;

/** The queue as {@code GET .../queue} and an admin's sync list it: positions and estimates. */
public final class QueueEntries {

	private QueueEntries() {
	}

	/** Entries of chats listed from the head of the queue, in queue order. */
	public static List<AutoAssignEvent.QueueEntry> of(String companyId, List<Chat> queued, WaitEstimates estimates) {
		Map<String, Integer> waits = estimates.inQueueOrder(companyId, queued);
		List<AutoAssignEvent.QueueEntry> entries = new ArrayList<>(queued.size());
		int position = 1;
		for (Chat chat : queued) {
			entries.add(new AutoAssignEvent.QueueEntry(chat.chatId(), position++, chat.queuedAt(),
					chat.assignedGroupId(), chat.priority(), waits.get(chat.chatId())));
		}
		return entries;
	}

}
