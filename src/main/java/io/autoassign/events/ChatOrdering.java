package io.autoassign.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps each chat's events in the order of their transactions on this node.
 * <p>
 * The event log already gives them in that order: a chat's transactions are serialized by its
 * row lock and write their events just before they commit, so a later transaction's rows come
 * after an earlier one's, and no event waits for another. What can still come out of order is
 * a row that became visible only after the stream had stopped waiting for it (a commit slower
 * than the stream's gap wait) while a newer event of the chat went out meanwhile. Such a late
 * event is not delivered over the newer one: it is refused here, and its recipients are sent a
 * fresh sync instead ({@link EventStream}).
 */
class ChatOrdering {

	/** Chats whose last delivered number is remembered (least recently used ones are forgotten). */
	static final int REMEMBERED_CHATS = 100_000;

	private final Map<String, Long> delivered = new LinkedHashMap<>(1024, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > REMEMBERED_CHATS;
		}
	};

	/**
	 * Whether an event of a chat, numbered {@code sequence} by its transaction, may go out: not
	 * when an event of a later transaction on the chat went out already. (Events of one
	 * transaction share their number, or count upwards.)
	 * @param chatKey company and chat; {@code null} for events about no single chat
	 */
	synchronized boolean admit(String chatKey, long sequence) {
		if (chatKey == null || sequence <= 0) {
			return true;
		}
		Long last = this.delivered.get(chatKey);
		if (last != null && sequence < last) {
			return false;
		}
		this.delivered.put(chatKey, sequence);
		return true;
	}

}
