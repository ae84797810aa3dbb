package io.autoassign.platform;

import org.springframework.stereotype.Component;

/**
 * Named points between a routing step in Redis, the commit of its transaction and the work
 * after the commit (and a few others), where a test can hold a thread (to force an interleaving) or make it fail
 * (to inject a fault at an exact place). Nothing is installed outside tests: each point then
 * costs one read of a volatile field.
 */
@Component
public class PausePoints {

	/** Where a thread may be held. */
	public enum Point {

		/** A routing script on a chat returned; its transaction has not committed. */
		AFTER_ROUTING_STEP,

		/** A transaction that released slots or queued chats committed; finish.lua has not run. */
		BEFORE_FINISH,

		/** After a commit (and its finish.lua), before the queue is dispatched. */
		BEFORE_DISPATCH,

		/** A company's routing state is about to be rebuilt (before its lock is asked for). */
		BEFORE_REBUILD,

		/** A worker of the chat intake took a new chat; the transaction creating it has not begun. */
		INTAKE_TAKEN,

		/** A transaction's events are committed; the other nodes have not been woken to read them. */
		BEFORE_EVENT_WAKEUP,

		/** The event stream's reader is about to read the log (companyId and chatId: null). */
		EVENT_READ,

		/** A subscription's CHAT_ASSIGNMENT_SYNC has been read; it has not been sent. */
		SYNC_READ,

		/** An event of the log is about to be sent to one session (a failure here is a send that throws). */
		SESSION_SEND,

		/**
		 * A frame is about to be written to a WebSocket session (companyId: the session's id;
		 * chatId: the frame's STOMP command, e.g. MESSAGE or ERROR).
		 */
		SESSION_WRITE,

		/** A frame for a session waits for the write before it to end (companyId: the session's id). */
		SESSION_TURN,

		/** A WebSocket session is being closed by the server (companyId: the session's id). */
		SESSION_CLOSE,

		/**
		 * A webhook endpoint answered (or failed to) a delivery of the chat's event; the answer is
		 * not recorded yet (a failure here loses the answer, as a node that dies at this point).
		 */
		WEBHOOK_ANSWERED,

		/** The queue-aging sweep found the chat due to rise; its row is not locked yet. */
		AGING_DUE

	}

	/** What a test installs. */
	@FunctionalInterface
	public interface Hook {

		/** Called at {@code point} for the chat (null where the point concerns no single chat). */
		void reached(Point point, String companyId, String chatId);

	}

	private volatile Hook hook;

	public void reached(Point point, String companyId, String chatId) {
		Hook current = this.hook;
		if (current != null) {
			current.reached(point, companyId, chatId);
		}
	}

	/** Installs a hook (tests only); {@code null} removes it. */
	public void install(Hook hook) {
		this.hook = hook;
	}

}
