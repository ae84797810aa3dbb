package io.autoassign.queue;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.autoassign.assignment.DispatchNeeded;
import io.autoassign.assignment.Placements;
import io.autoassign.assignment.RoutingMetrics;
import io.autoassign.assignment.RoutingRebuilt;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.WaitingFor;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.ConfigChanged;
import io.autoassign.settings.SettingsService;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Moves queued chats to agents when capacity appears, strictly first in, first out per pool.
 * <p>
 * Each step takes the oldest chat at the head of a pool that has an eligible agent, locks its
 * row and assigns it by the strategy, in an atomic Redis step that checks again that it is the
 * head and that the agent may take it. A head whose row is not visible yet (its creating
 * transaction has not committed) holds its pool back: that transaction dispatches once it
 * commits, and nothing younger of the same pool may pass it meanwhile.
 * <p>
 * The queue is dispatched after every commit that gave back a slot or queued a chat, in the
 * transaction of an agent becoming eligible, by the queue-dispatch process when many agents may
 * have capacity at once (auto-assign enabled again, capacity raised, state rebuilt; it then also
 * routes the chats left pending while auto-assign was off, in creation order), and by the
 * reconciler whenever a queue waits beside an eligible agent.
 */
@Component
public class QueueDispatcher {

	/** Chats assigned within one transaction. */
	static final int CHUNK = 100;

	private final ChatStore chats;

	private final SettingsService settings;

	private final Placements placements;

	private final QueueProcesses processes;

	private final RoutingMetrics metrics;

	private final Transactions transactions;

	private final Clock clock;

	QueueDispatcher(ChatStore chats, SettingsService settings, Placements placements, QueueProcesses processes,
			Transactions transactions, RoutingMetrics metrics, Clock clock) {
		this.clock = clock;
		this.metrics = metrics;
		this.transactions = transactions;
		this.chats = chats;
		this.settings = settings;
		this.placements = placements;
		this.processes = processes;
	}

	/**
	 * Assigns queued chats, oldest head first, in the current transaction, up to {@code limit};
	 * returns how many.
	 */
	public int dispatchInThisTransaction(String companyId, int limit) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		if (!config.enabled() || !config.openAt(this.clock.instant())) {
			// outside business hours the queue waits for the opening (BusinessHoursProcess)
			return 0;
		}
		int assigned = 0;
		Set<String> skipPools = new LinkedHashSet<>();
		Set<String> seen = new HashSet<>();
		while (assigned < limit) {
			Optional<Placements.QueueHead> next = this.placements.nextToDispatch(companyId, skipPools);
			if (next.isEmpty()) {
				break;
			}
			Placements.QueueHead head = next.get();
			Chat chat = seen.add(head.chatId()) ? this.chats.lock(companyId, head.chatId()).orElse(null) : null;
			if (chat == null) {
				// Queued by a transaction that has not committed (its row is not visible yet): that
				// transaction dispatches once it commits, or its rollback takes the chat out. A
				// younger chat of the pool may not pass it, so the pool waits. (A chat whose node
				// died before the commit is taken out by the reconciler.)
				skipPools.add(head.pool());
				continue;
			}
			if (!isQueued(chat)) {
				// The row is locked, so no transaction is changing this chat: Redis has drifted
				// from the database, and the database wins.
				this.placements.resync(companyId, chat.chatId(), chat);
				continue;
			}
			if (this.placements.assignFromQueue(chat, null, config.strategy(), true).isPresent()) {
				this.processes.dequeued(chat);
				assigned++;
			}
			else {
				skipPools.add(head.pool());
			}
		}
		return assigned;
	}

	/** Dispatches the company's queue, chunk by chunk, each chunk in a transaction of its own. */
	@EventListener
	void dispatch(DispatchNeeded needed) {
		String companyId = needed.companyId();
		int assigned;
		boolean first = true;
		do {
			assigned = this.transactions.retrying(() -> dispatchInThisTransaction(companyId, CHUNK));
			if (first && assigned > 0) {
				// the first chunk has committed: the wait the capacity's appearance ended
				this.metrics.drained(needed.sinceNanos());
			}
			first = false;
		}
		while (assigned >= CHUNK); // more may wait: the next chunk in a transaction of its own
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
		int assigned = dispatchInThisTransaction(companyId, CHUNK);
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

	@EventListener
	void rebuilt(RoutingRebuilt rebuilt) {
		// (inside the rebuilding transaction)
		String companyId = rebuilt.companyId();
		if (!this.chats.queued(companyId, 1).isEmpty() || !this.chats.pendingAutoAssign(companyId, 1).isEmpty()) {
			this.processes.startDispatch(companyId);
		}
	}

	/**
	 * Auto-assign switched on, or capacity raised: the queued and pending chats are dispatched
	 * (in the background, by the queue-dispatch process started in this transaction). Runs after
	 * routing has taken the new capacity ({@code @Order}).
	 */
	@EventListener
	@Order(2)
	void configChanged(ConfigChanged change) {
		AutoAssignConfig before = change.before();
		AutoAssignConfig after = change.after();
		if (!change.created()
				&& ((after.enabled() && !before.enabled()) || (after.enabled() && after.raisesCapacityOver(before)))) {
			this.processes.startDispatch(change.companyId());
		}
	}

	/**
	 * An admin's choice from the escalation task: assigns the queued chat to that agent if it may
	 * take it now (active, capacity, group). An explicit choice may pass over older queued chats
	 * (not FIFO). Returns whether the chat was assigned.
	 */
	public boolean assignChosen(String companyId, String chatId, String agentId) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = this.chats.lock(companyId, chatId).orElseThrow();
		if (agentId == null || !isQueued(chat)) {
			return false;
		}
		return this.placements.assignFromQueue(chat, agentId, config.strategy(), false).isPresent();
	}

	private static boolean isQueued(Chat chat) {
		return chat != null && chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED;
	}

}
