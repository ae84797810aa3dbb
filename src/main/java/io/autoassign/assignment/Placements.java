package io.autoassign.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.CloseReason;
import io.autoassign.chat.Priority;
import io.autoassign.chat.PriorityChange;
import io.autoassign.chat.WaitingFor;
import io.autoassign.events.EventOutbox;
import io.autoassign.events.UnassignReason;
import io.autoassign.settings.Strategy;

import org.springframework.stereotype.Service;

/**
 * The one writer of a chat's change of hands: assigned, queued, pending again, moved, taken
 * over, closed. Each takes the Redis step ({@link Router}), writes the row (which bumps the
 * chat's event sequence) and emits the events, together; nothing else can change a chat's
 * routing state. Every method expects the chat's row locked by the current transaction, as
 * read by {@code ChatStore.lock} (the first step of a transaction on a chat settles Redis from
 * it).
 */
@Service
public class Placements {

	private final Router router;

	private final RoutingRows rows;

	private final EventOutbox events;

	private final Clock clock;

	private final RoutingMetrics metrics;

	private final QueueDrain drain;

	private final ChatStore chats;

	Placements(Router router, RoutingRows rows, EventOutbox events, Clock clock, RoutingMetrics metrics,
			QueueDrain drain, ChatStore chats) {
		this.metrics = metrics;
		this.drain = drain;
		this.chats = chats;
		this.router = router;
		this.rows = rows;
		this.events = events;
		this.clock = clock;
	}

	/** The head of a pool's queue that the dispatch should place next. */
	public record QueueHead(String chatId, String pool) {
	}

	/** A chat put in the queue: its 1-based position and its queue sequence. */
	public record Queued(int position, long queueSeq) {
	}

	/**
	 * Gives the chat to the agent the strategy picks in {@code pool}, unless nobody is eligible
	 * or an older queued chat comes first. A chat that was ASSIGNED (being re-routed) leaves its
	 * agent in either case ({@code reason} in its CHAT_UNASSIGNED) and is PENDING when it found
	 * nobody. Answers the new agent.
	 */
	RoutingScripts.Decision assignByStrategy(Chat chat, String pool, Strategy strategy, UnassignReason reason,
			String preferred, boolean waitForPreferred) {
		String previous = chat.isAssigned() ? chat.assignedAgentId() : null;
		RoutingScripts.Decision decision = this.router.assign(chat, pool, strategy, preferred, waitForPreferred);
		if (decision.assigned()) {
			assigned(chat, decision.agentId(), previous, reason);
			return decision;
		}
		if (previous != null) {
			// The former agent's slot is given up; the chat is between agents until it is queued.
			long sequence = this.rows.markPending(chat.companyId(), chat.chatId(), null);
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, reason, sequence);
		}
		return decision;
	}

	/** The chat waits ({@code waitingFor}); a chat that was ASSIGNED leaves its agent. */
	public void pending(Chat chat, WaitingFor waitingFor, UnassignReason reason) {
		String previous = chat.isAssigned() ? chat.assignedAgentId() : null;
		if (previous != null) {
			this.router.release(chat);
		}
		long sequence = this.rows.markPending(chat.companyId(), chat.chatId(), waitingFor);
		if (previous != null) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, reason, sequence);
		}
	}

	/**
	 * Puts the chat in the queue of {@code pool}, after every chat of its priority and above that
	 * is queued already; a chat that was ASSIGNED leaves its agent. Once the transaction commits,
	 * the queue is dispatched (an agent may have become free meanwhile).
	 */
	public Queued enqueue(Chat chat, String pool, UnassignReason reason) {
		String previous = chat.isAssigned() ? chat.assignedAgentId() : null;
		// queuedAt comes from the step that decides the place, so that the two agree
		RoutingScripts.Queued queued = this.router.enqueue(chat, pool, this.clock.instant());
		long sequence = this.rows.markQueued(chat.companyId(), chat.chatId(), queued.queueSeq(), pool,
				queued.queuedAt());
		if (previous != null) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, reason, sequence);
		}
		// Redis orders the queue across concurrent transactions; its position is the truthful one.
		return new Queued(queued.position(), queued.queueSeq());
	}

	/**
	 * Changes the priority of a chat whose row the caller has locked. A queued chat moves to the
	 * place of its new priority (after every chat of that priority that arrived before it):
	 * CHAT_PRIORITY_CHANGED gives its position before and after, which says where every other
	 * chat went (those between moved by one).
	 */
	public void reprioritize(Chat chat, Priority priority, PriorityChange reason, Instant agingSince) {
		RoutingScripts.Reprioritized moved = null;
		if (chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED) {
			moved = this.router.reprioritize(chat, priority);
		}
		Instant now = this.clock.instant();
		Long rank = moved == null ? null : moved.rank();
		long sequence = this.rows.markPriority(chat.companyId(), chat.chatId(), priority, rank, agingSince, now);
		Chat changed = chat.withPriority(priority, rank, now, sequence);
		this.events.chatPriorityChanged(
				ChatView.of(changed, moved == null ? null : moved.position(),
						moved == null ? null : this.chats.estimatedWait(changed)),
				chat.priority(), reason, moved == null ? null : moved.from(), chat.holder(), sequence);
	}

	/**
	 * Gives a queued chat to {@code agentId} when it is eligible in the chat's pool, or with
	 * {@code null} to the agent the strategy picks. With {@code fifo}, only when the chat is the
	 * oldest of its pool (the dispatch); without, an admin's explicit choice. Answers the agent.
	 */
	public Optional<String> assignFromQueue(Chat chat, String agentId, Strategy strategy, boolean fifo) {
		RoutingScripts.FromQueue result = this.router.assignFromQueue(chat, agentId, strategy, fifo);
		if (result.outcome() != RoutingScripts.FromQueueOutcome.ASSIGNED) {
			return Optional.empty();
		}
		assigned(chat, result.agentId(), null, null);
		return Optional.of(result.agentId());
	}

	/**
	 * Re-balancing: moves an ASSIGNED chat from {@code from} to {@code to} when that evens out
	 * the loads and {@code to} may take it now. Answers whether it moved.
	 */
	public boolean move(Chat chat, String from, String to, String pool) {
		if (this.router.move(chat, from, to, pool) != RoutingScripts.MoveResult.MOVED) {
			return false;
		}
		assigned(chat, to, from, UnassignReason.REBALANCED);
		return true;
	}

	/**
	 * No-reply reassignment: passes the ASSIGNED chat from its agent to the agent the strategy
	 * picks in {@code pool}, none of {@code excluded}, when one may take it now (CHAT_UNASSIGNED
	 * with reason NO_REPLY to the former agent, CHAT_ASSIGNED to the new one and the admins).
	 * Answers the new agent; empty when the chat stays.
	 */
	public Optional<String> passOn(Chat chat, String pool, Strategy strategy, java.util.Collection<String> excluded) {
		String from = chat.assignedAgentId();
		String to = this.router.passOn(chat, from, pool, strategy, excluded);
		if (to == null) {
			return Optional.empty();
		}
		assigned(chat, to, from, UnassignReason.NO_REPLY);
		return Optional.of(to);
	}

	/** Hands the chat to the admin: TAKEN_OVER, and no longer routed automatically. */
	public void takeOver(Chat chat, String adminId) {
		String previous = chat.holder();
		this.router.release(chat);
		long sequence = this.rows.markTakenOver(chat.companyId(), chat.chatId(), adminId, this.clock.instant());
		this.events.chatTakenOver(chat.companyId(), chat.chatId(), adminId, previous, sequence);
		if (previous != null && !previous.equals(adminId)) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, UnassignReason.TAKEN_OVER, sequence);
		}
	}

	/** Closes the chat; its slot or queue place is given up once the transaction committed. */
	public void close(Chat chat, CloseReason reason) {
		String holder = chat.holder();
		this.router.release(chat);
		Instant now = this.clock.instant();
		long sequence = this.rows.markClosed(chat.companyId(), chat.chatId(), reason, now);
		if (holder != null) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), holder, UnassignReason.CLOSED, sequence);
		}
		this.events.chatClosed(ChatView.of(chat.closedFor(reason, now, sequence), null), holder, sequence);
	}

	/**
	 * The queued chat the dispatch should place next: the oldest head of a pool that has an
	 * eligible agent, passing over {@code skipPools}.
	 */
	public Optional<QueueHead> nextToDispatch(String companyId, Collection<String> skipPools) {
		return this.router.nextDispatch(companyId, skipPools)
			.map((head) -> new QueueHead(head.chatId(), head.pool()));
	}

	/**
	 * Makes Redis hold what the database holds for a chat whose row the caller has locked
	 * ({@code null}: the chat is gone), e.g. a chat Redis queues that the database does not.
	 */
	public void resync(String companyId, String chatId, Chat chat) {
		this.router.resync(companyId, chatId, chat);
	}

	private void assigned(Chat chat, String agentId, String previous, UnassignReason reason) {
		Instant now = this.clock.instant();
		long sequence = this.rows.markAssigned(chat.companyId(), chat.chatId(), agentId, now);
		this.metrics.assigned(chat, now);
		if (chat.assignmentStatus() == AssignmentStatus.QUEUED && chat.queuedAt() != null && chat.queuePool() != null) {
			Commits.afterCommit(() -> this.drain.departed(chat.companyId(), chat.queuePool(), chat.priority(),
					chat.queuedAt(), now));
		}
		if (previous != null) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, reason, sequence);
		}
		this.events.chatAssigned(ChatView.of(chat.assignedTo(agentId, now, sequence), null), sequence);
	}

}
