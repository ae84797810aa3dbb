package io.autoassign.queue;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.autoassign.assignment.Placements;
import io.autoassign.assignment.RoutingListener;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.WaitingFor;
import io.autoassign.lifecycle.ChatProcesses;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;

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
public class QueueDispatcher implements RoutingListener {

	/** Chats assigned within one transaction. */
	static final int CHUNK = 100;

	private final ChatStore chats;

	private final SettingsService settings;

	private final Placements placements;

	private final ChatProcesses processes;

	private final Transactions transactions;

	QueueDispatcher(ChatStore chats, SettingsService settings, Placements placements, ChatProcesses processes,
			Transactions transactions) {
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
		if (!config.enabled()) {
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

	@Override
	public void dispatch(String companyId) {
		while (this.transactions.retrying(() -> dispatchInThisTransaction(companyId, CHUNK)) >= CHUNK) {
			// more may wait: the next chunk in a transaction of its own
		}
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

	@Override
	public void rebuilt(String companyId) {
		// (inside the rebuilding transaction)
		if (!this.chats.queued(companyId, 1).isEmpty() || !this.chats.pendingAutoAssign(companyId, 1).isEmpty()) {
			this.processes.startDispatch(companyId);
		}
	}

	private static boolean isQueued(Chat chat) {
		return chat != null && chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED;
	}

}
