package io.autoassign.events;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.autoassign.platform.PausePoints;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;

/**
 * One write at a time per session on the outbound channel. The broker already sends a session's
 * messages one at a time (publish order is preserved), but the ERROR frame that closes a session
 * whose rights changed is sent beside that stream: written while an event was still being
 * written, it waited in the session's buffer and was dropped by the close that follows every
 * ERROR frame, so the client lost the reason. With the writes taking turns, each message is
 * written in full by its own thread before the next one to that session is handled. Other
 * sessions never wait for one another.
 */
class SessionSends implements ExecutorChannelInterceptor {

	private final ConcurrentHashMap<String, Turn> turns = new ConcurrentHashMap<>();

	private final PausePoints pauses;

	SessionSends(PausePoints pauses) {
		this.pauses = pauses;
	}

	/** A session's lock and how many threads use it (the entry goes when none does). */
	private static final class Turn {

		final ReentrantLock lock = new ReentrantLock();

		int users;

	}

	@Override
	public Message<?> beforeHandle(Message<?> message, MessageChannel channel, MessageHandler handler) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		if (sessionId != null) {
			Turn turn = this.turns.compute(sessionId, (id, existing) -> {
				Turn used = existing != null ? existing : new Turn();
				used.users++;
				return used;
			});
			if (!turn.lock.tryLock()) {
				this.pauses.reached(PausePoints.Point.SESSION_TURN, sessionId, null);
				turn.lock.lock();
			}
		}
		return message;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			Exception ex) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		if (sessionId == null) {
			return;
		}
		Turn turn = this.turns.get(sessionId);
		if (turn == null || !turn.lock.isHeldByCurrentThread()) {
			return;
		}
		turn.lock.unlock();
		this.turns.computeIfPresent(sessionId, (id, used) -> --used.users == 0 ? null : used);
	}

}
