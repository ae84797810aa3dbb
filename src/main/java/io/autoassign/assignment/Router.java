package io.autoassign.assignment;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.autoassign.agent.Agent;
import io.autoassign.chat.Chat;
import io.autoassign.chat.Priority;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.TransactionScoped;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.ConfigChanged;
import io.autoassign.settings.Strategy;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The journaled router: each method is one atomic Redis step ({@link RoutingScripts}) taken
 * inside the current database transaction. Every step holds the company's shared lock and is
 * journaled in the transaction's {@link RoutingJournal}, so that what it gave up is finished
 * after the commit and what it changed is repaired from the database after a rollback; the
 * first step of a transaction on a chat hands the chat's committed row to the script, which
 * settles what an earlier transaction (one that crashed, or whose after-commit work has not
 * run yet) left behind. A company whose state is missing from Redis raises
 * {@link RoutingStateMissing} and is rebuilt after the rollback.
 * <p>
 * The steps on one chat are package-private: only {@link Placements}, which writes the chat's
 * row and events together with them, may take them.
 */
@Component
public class Router {

	private final RoutingScripts scripts;

	private final CompanyLocks locks;

	private final PausePoints pauses;

	private final RoutingRepair repair;

	Router(RoutingScripts scripts, CompanyLocks locks, PausePoints pauses, RoutingRepair repair) {
		this.scripts = scripts;
		this.locks = locks;
		this.pauses = pauses;
		this.repair = repair;
	}

	/** The chat goes to the agent the strategy picks in the pool, unless a queued chat comes first. */
	RoutingScripts.Decision assign(Chat chat, String pool, Strategy strategy, String preferred,
			boolean waitForPreferred) {
		RoutingJournal journal = begin(chat.companyId());
		RoutingScripts.Decision decision = step(journal, chat, () -> this.scripts.assign(chat.companyId(),
				journal.token, chat.chatId(), journal.committed(chat), pool, strategy.value(), random(), preferred,
				waitForPreferred));
		if (decision.releasedAgentId() != null) {
			journal.finishing(chat);
		}
		return decision;
	}

	/** The chat joins the queue of the pool (once); a slot it held is given up. */
	RoutingScripts.Queued enqueue(Chat chat, String pool, Instant now) {
		RoutingJournal journal = begin(chat.companyId());
		RoutingScripts.Queued queued = step(journal, chat, () -> this.scripts.enqueue(chat.companyId(), journal.token,
				chat.chatId(), journal.committed(chat), pool, now, chat.priority()));
		if (queued.releasedAgentId() != null) {
			journal.finishing(chat);
		}
		journal.dispatchAfterCommit(chat.companyId());
		return queued;
	}

	/**
	 * A queued chat goes to {@code agentId} (when eligible in its pool) or to the agent the
	 * strategy picks; with {@code fifo} only when it is the oldest chat of its pool.
	 */
	RoutingScripts.FromQueue assignFromQueue(Chat chat, String agentId, Strategy strategy, boolean fifo) {
		RoutingJournal journal = begin(chat.companyId());
		RoutingScripts.FromQueue result = step(journal, chat,
				() -> this.scripts.assignFromQueue(chat.companyId(), journal.token, chat.chatId(),
						journal.committed(chat), agentId, strategy.value(), random(), fifo));
		if (result.outcome() == RoutingScripts.FromQueueOutcome.ASSIGNED) {
			journal.finishing(chat);
		}
		return result;
	}

	/** The chat leaves routing: its slot or its queue place is given up after the commit. */
	RoutingScripts.Released release(Chat chat) {
		RoutingJournal journal = begin(chat.companyId());
		RoutingScripts.Released released = step(journal, chat,
				() -> this.scripts.release(chat.companyId(), journal.token, chat.chatId(), journal.committed(chat)));
		if (released.agentId() != null || released.wasQueued()) {
			journal.finishing(chat);
		}
		return released;
	}

	/** Moves an assigned chat to a less loaded agent while that evens out the loads. */
	RoutingScripts.MoveResult move(Chat chat, String from, String to, String pool) {
		RoutingJournal journal = begin(chat.companyId());
		RoutingScripts.MoveResult moved = step(journal, chat, () -> this.scripts.move(chat.companyId(),
				journal.token, chat.chatId(), journal.committed(chat), from, to, pool));
		if (moved == RoutingScripts.MoveResult.MOVED) {
			journal.finishing(chat);
		}
		return moved;
	}

	/**
	 * Passes an assigned chat from {@code from} to the agent the strategy picks in the pool, none
	 * of {@code excluded} (no-reply reassignment); the new agent, or {@code null} when nobody may
	 * take it.
	 */
	String passOn(Chat chat, String from, String pool, Strategy strategy, java.util.Collection<String> excluded) {
		RoutingJournal journal = begin(chat.companyId());
		String to = step(journal, chat, () -> this.scripts.passOn(chat.companyId(), journal.token, chat.chatId(),
				journal.committed(chat), from, pool, strategy.value(), random(), excluded));
		if (to != null) {
			journal.finishing(chat);
		}
		return to;
	}

	/**
	 * Moves a queued chat to the place of {@code priority}; {@code null} when it is not queued.
	 * The move is immediate (no after-commit step): a rollback's repair puts it back.
	 */
	RoutingScripts.Reprioritized reprioritize(Chat chat, Priority priority) {
		RoutingJournal journal = begin(chat.companyId());
		return step(journal, chat, () -> this.scripts.reprioritize(chat.companyId(), journal.token, chat.chatId(),
				journal.committed(chat), priority));
	}

	/**
	 * Rewrites one chat's routing state from its database row, locked by the caller ({@code null}
	 * when the chat is gone).
	 */
	void resync(String companyId, String chatId, Chat chat) {
		RoutingJournal journal = begin(companyId);
		journal.touched(companyId, chatId);
		try {
			if (this.scripts.syncChat(companyId, chatId, RoutingScripts.Committed.of(chat), false)) {
				journal.dispatchAfterCommit(companyId);
			}
		}
		catch (RoutingStateMissing ex) {
			journal.missing.add(companyId);
			throw ex;
		}
	}

	/** The queued chat to dispatch next, passing over the given pools. Reads only. */
	Optional<RoutingScripts.Head> nextDispatch(String companyId, Collection<String> skipPools) {
		RoutingJournal journal = begin(companyId);
		try {
			return this.scripts.nextDispatch(companyId, journal.token, skipPools);
		}
		catch (RoutingStateMissing ex) {
			journal.missing.add(companyId);
			throw ex;
		}
	}

	/** An agent's routing state after a sync. */
	public record AgentRouting(boolean eligible, int load) {
	}

	/** Writes the agent's role, status and groups; returns whether it is eligible now. */
	public AgentRouting syncAgent(Agent agent) {
		RoutingJournal journal = begin(agent.companyId());
		journal.agents.add(new RoutingJournal.AgentRef(agent.companyId(), agent.agentId()));
		try {
			RoutingScripts.AgentRouting routed = this.scripts.syncAgent(agent.companyId(), agent.agentId(),
					agent.role().name(), agent.status().name(), String.join(",", agent.groupIds()), null, false);
			if (routed.eligible()) {
				journal.dispatchAfterCommit(agent.companyId());
			}
			return new AgentRouting(routed.eligible(), routed.load());
		}
		catch (RoutingStateMissing ex) {
			journal.missing.add(agent.companyId());
			throw ex;
		}
	}

	/**
	 * A company was created or its configuration changed (in that transaction, the company's
	 * lock held exclusively): its capacity in Redis follows at once. First among the listeners
	 * ({@code @Order}), so that a dispatch started by the same change sees the new capacity.
	 */
	@EventListener
	@Order(1)
	void configChanged(ConfigChanged change) {
		if (change.created()) {
			// A new company has nothing to rebuild: its routing state starts empty.
			initCompany(change.companyId(), change.after().capacity());
		}
		else if (change.before().capacity() != change.after().capacity()) {
			syncConfig(change.companyId(), change.after().capacity());
		}
	}

	/** Writes the capacity per agent (-1 = unlimited) and re-evaluates every agent. */
	public void syncConfig(String companyId, int capacity) {
		RoutingJournal journal = begin(companyId);
		journal.configs.add(companyId);
		try {
			this.scripts.syncConfig(companyId, capacity, false);
		}
		catch (RoutingStateMissing ex) {
			journal.missing.add(companyId);
			throw ex;
		}
	}

	/** Starts the empty routing state of a company created by the current transaction. */
	public void initCompany(String companyId, int capacity) {
		RoutingJournal journal = begin(companyId);
		journal.configs.add(companyId);
		this.scripts.syncConfig(companyId, capacity, true);
		this.scripts.markLoaded(companyId, "created", true);
	}

	/** The company's shared lock and the current transaction's journal. */
	private RoutingJournal begin(String companyId) {
		this.locks.shared(companyId);
		return TransactionScoped.get(RoutingJournal.class,
				() -> new RoutingJournal(UUID.randomUUID().toString(), this.repair));
	}

	private <T> T step(RoutingJournal journal, Chat chat, java.util.function.Supplier<T> script) {
		T result;
		try {
			result = script.get();
		}
		catch (RoutingStateMissing ex) {
			journal.missing.add(chat.companyId());
			throw ex;
		}
		this.pauses.reached(PausePoints.Point.AFTER_ROUTING_STEP, chat.companyId(), chat.chatId());
		return result;
	}

	private static double random() {
		return ThreadLocalRandom.current().nextDouble();
	}

}
