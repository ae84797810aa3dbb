package io.autoassign.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.autoassign.assignment.Router;
import io.autoassign.assignment.RoutingListener;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.WaitingFor;
import io.autoassign.events.EventOutbox;
import io.autoassign.lifecycle.ChatProcesses;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Moves queued chats to agents when capacity appears, oldest first.
 * <p>
 * When one agent frees a slot (a chat closed or was taken over, the agent became ACTIVE) the
 * queue drains into that agent at once, in the same transaction: the oldest queued chat it may
 * serve is assigned to it. When many agents may have capacity at once (auto-assign enabled
 * again, capacity raised, state rebuilt) the queue-dispatch process walks the whole queue in
 * order, assigning each chat by the strategy, and then routes the chats left pending while
 * auto-assign was off, in creation order.
 */
@Component
public class QueueDispatcher implements RoutingListener {

	private static final Logger log = LoggerFactory.getLogger(QueueDispatcher.class);

	/** Chats assigned to one agent within the transaction that freed its capacity. */
	static final int MAX_DRAIN = 100;

	/** Chats assigned or routed per dispatch transaction. */
	static final int CHUNK = 200;

	private final ChatStore chats;

	private final SettingsService settings;

	private final Router router;

	private final ChatProcesses processes;

	private final EventOutbox events;

	private final Clock clock;

	private final Transactions transactions;

	QueueDispatcher(ChatStore chats, SettingsService settings, Router router, ChatProcesses processes,
			EventOutbox events, Clock clock, Transactions transactions) {
		this.transactions = transactions;
		this.chats = chats;
		this.settings = settings;
		this.router = router;
		this.processes = processes;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Assigns the oldest queued chats the agent may serve to it while it has capacity (current
	 * transaction). Returns how many were assigned.
	 */
	public int drainFor(String companyId, String agentId) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		if (!config.enabled()) {
			return 0;
		}
		int assigned = 0;
		Set<String> skip = new LinkedHashSet<>();
		while (assigned < MAX_DRAIN && skip.size() < MAX_DRAIN) {
			String chatId = this.router.peekQueue(companyId, agentId, skip).orElse(null);
			if (chatId == null) {
				return assigned;
			}
			Chat chat = this.chats.lock(companyId, chatId).orElse(null);
			if (chat == null) {
				// Queued by a transaction that has not committed yet (its row is invisible): that
				// transaction routes it, or repairs Redis if it rolls back.
				skip.add(chatId);
				continue;
			}
			if (!isQueued(chat)) {
				// The row is locked, so no transaction is changing this chat: Redis has drifted
				// from the database, and the database wins.
				this.router.resync(companyId, chatId, chat);
				skip.add(chatId);
				continue;
			}
			Router.FromQueue result = this.router.assignFromQueue(companyId, chatId, agentId, config.strategy());
			if (result.agentId() == null) {
				return assigned;
			}
			dequeued(chat, result.agentId());
			assigned++;
		}
		// More is waiting than one transaction should take: continue in the background.
		this.processes.startDispatch(companyId);
		return assigned;
	}

	/**
	 * One chunk of the company-wide dispatch: queued chats oldest first, then chats pending
	 * while auto-assign was off, in creation order. Returns whether more may remain.
	 */
	public boolean dispatchChunk(String companyId) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		if (!config.enabled()) {
			return false;
		}
		int assigned = 0;
		long after = Long.MIN_VALUE;
		scan: while (assigned < CHUNK) {
			List<Chat> page = this.chats.queuedAfter(companyId, after, CHUNK);
			if (page.isEmpty()) {
				break;
			}
			for (Chat candidate : page) {
				after = candidate.queueSeq();
				Chat chat = this.chats.lock(companyId, candidate.chatId()).orElse(null);
				if (!isQueued(chat)) {
					continue;
				}
				Router.FromQueue result = this.router.assignFromQueue(companyId, chat.chatId(), null, config.strategy());
				if (result.agentId() != null) {
					dequeued(chat, result.agentId());
					if (++assigned >= CHUNK) {
						break scan;
					}
				}
				else if (result.eligibleAgents() == 0) {
					// Nobody at all can take a chat: the rest of the queue waits.
					break scan;
				}
			}
		}
		int resumed = 0;
		for (Chat candidate : this.chats.pendingAutoAssign(companyId, CHUNK)) {
			Chat chat = this.chats.lock(companyId, candidate.chatId()).orElse(null);
			if (chat != null && chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.PENDING
					&& chat.waitingFor() == WaitingFor.AUTO_ASSIGN) {
				this.processes.resume(chat);
				resumed++;
			}
		}
		return assigned >= CHUNK || resumed >= CHUNK;
	}

	@Override
	public void queuedAndCommitted(String companyId, String chatId, String pool) {
		try {
			if (this.router.eligibleCount(companyId, pool) == 0) {
				return;
			}
			this.transactions.retryingInNewTransaction(() -> {
				AutoAssignConfig config = this.settings.forRouting(companyId);
				Chat chat = this.chats.lock(companyId, chatId).orElse(null);
				if (config.enabled() && isQueued(chat)) {
					Router.FromQueue result = this.router.assignFromQueue(companyId, chatId, null, config.strategy());
					if (result.agentId() != null) {
						dequeued(chat, result.agentId());
					}
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			// The chat is queued and committed; the next capacity event drains it.
			log.warn("Could not offer queued chat {} of {} to a free agent: {}", chatId, companyId, ex.toString());
		}
	}

	@Override
	public void capacityFreed(String companyId, String agentId) {
		this.transactions.retryingInNewTransaction(() -> drainFor(companyId, agentId));
	}

	@Override
	public void rebuilt(String companyId) {
		// (inside the rebuilding transaction)
		if (!this.chats.queued(companyId, 1).isEmpty() || !this.chats.pendingAutoAssign(companyId, 1).isEmpty()) {
			this.processes.startDispatch(companyId);
		}
	}

	private void dequeued(Chat chat, String agentId) {
		Instant now = this.clock.instant();
		long sequence = this.chats.markAssigned(chat.companyId(), chat.chatId(), agentId, now);
		this.processes.dequeued(chat);
		this.events.chatAssigned(ChatView.of(chat.assignedTo(agentId, now), null), sequence);
	}

	private static boolean isQueued(Chat chat) {
		return chat != null && chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED;
	}

}
