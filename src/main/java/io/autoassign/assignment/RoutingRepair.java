package io.autoassign.assignment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.platform.AfterTransaction;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What happens to Redis once a transaction that wrote routing state has completed.
 * <p>
 * Committed: what it gave up is finished at once (a Redis step, no database connection), and
 * where that freed capacity or the transaction queued chats, the queue is dispatched. Rolled
 * back: Redis is put back in line with the database, so that a rolled-back assignment never
 * leaves a capacity slot reserved; each chat is rewritten under its row lock in a transaction of
 * its own, so a concurrent transaction changing the same chat either committed before (and the
 * database shows it) or waits. Companies whose state was missing are rebuilt, once each.
 * <p>
 * Dispatching and repairing need the database, so they run through {@link AfterTransaction}:
 * after the completed transaction's connection is back in the pool, never on a second
 * connection while the first is held. A dispatch or repair that fails is left to the watchdog
 * ({@link RoutingRebuilder}), which retries it until it succeeds; the reconciler covers anything
 * else ({@link RoutingReconciler}).
 */
@Component
class RoutingRepair {

	private static final Logger log = LoggerFactory.getLogger(RoutingRepair.class);

	private final RoutingScripts scripts;

	private final RoutingRebuilder rebuilder;

	private final ChatStore chats;

	private final AgentService agents;

	private final SettingsService settings;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final AfterTransaction after;

	private final PausePoints pauses;

	private final ApplicationEventPublisher events;

	RoutingRepair(RoutingScripts scripts, RoutingRebuilder rebuilder, ChatStore chats, AgentService agents,
			SettingsService settings, CompanyLocks locks, Transactions transactions, AfterTransaction after,
			PausePoints pauses, ApplicationEventPublisher events) {
		this.scripts = scripts;
		this.rebuilder = rebuilder;
		this.chats = chats;
		this.agents = agents;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.after = after;
		this.pauses = pauses;
		this.events = events;
	}

	void afterCommit(RoutingJournal journal) {
		Set<String> dispatch = new LinkedHashSet<>(journal.dispatch);
		for (Map.Entry<String, List<String>> finishing : journal.finishing.entrySet()) {
			String companyId = finishing.getKey();
			try {
				this.pauses.reached(PausePoints.Point.BEFORE_FINISH, companyId, null);
				RoutingScripts.Finished finished = this.scripts.finish(companyId, journal.token, finishing.getValue());
				if (finished.capacityOrQueueChanged()) {
					dispatch.add(companyId);
				}
			}
			catch (RuntimeException ex) {
				// The slots stay taken (the safe side): the next transaction on each chat, the
				// reconciler or a rebuild finishes them.
				log.warn("Could not finish {} of company {} after the commit: {}", finishing.getValue(), companyId,
						ex.toString());
				this.rebuilder.rebuildLater(companyId);
			}
		}
		dispatch.forEach(this::dispatchSoon);
	}

	void afterRollback(RoutingJournal journal) {
		if (journal.chats.isEmpty() && journal.agents.isEmpty() && journal.configs.isEmpty()
				&& journal.missing.isEmpty()) {
			return;
		}
		this.after.run("routing repair after a rollback", () -> repair(journal));
	}

	/** Dispatches the company's queue once the current transaction (if any) is over. */
	void dispatchSoon(String companyId) {
		this.after.run("dispatch of company " + companyId, () -> {
			try {
				this.pauses.reached(PausePoints.Point.BEFORE_DISPATCH, companyId, null);
				this.events.publishEvent(new DispatchNeeded(companyId));
			}
			catch (RuntimeException ex) {
				log.warn("Could not dispatch the queue of company {}; the watchdog retries: {}", companyId,
						ex.toString());
				this.rebuilder.dispatchLater(companyId);
			}
		});
	}

	private void repair(RoutingJournal journal) {
		Set<String> dispatch = new LinkedHashSet<>();
		for (String companyId : journal.missing) {
			try {
				this.rebuilder.rebuildIfMissing(companyId);
			}
			catch (RuntimeException ex) {
				log.warn("Could not rebuild the routing state of company {}: {}", companyId, ex.toString());
				this.rebuilder.rebuildLater(companyId);
			}
		}
		for (String companyId : journal.configs) {
			if (!journal.missing.contains(companyId)) {
				attempt(companyId, "configuration of " + companyId, () -> repairConfig(companyId));
			}
		}
		for (RoutingJournal.AgentRef agent : journal.agents) {
			if (!journal.missing.contains(agent.companyId())
					&& Boolean.TRUE.equals(attempt(agent.companyId(), "agent " + agent, () -> repairAgent(agent)))) {
				dispatch.add(agent.companyId());
			}
		}
		for (RoutingJournal.ChatRef chat : journal.chats) {
			if (!journal.missing.contains(chat.companyId())
					&& Boolean.TRUE.equals(attempt(chat.companyId(), "chat " + chat, () -> repairChat(chat)))) {
				dispatch.add(chat.companyId());
			}
		}
		dispatch.forEach(this::dispatchSoon);
	}

	private Boolean repairConfig(String companyId) {
		this.locks.shared(companyId);
		this.scripts.syncConfig(companyId, this.settings.get(companyId).capacity(), false);
		return Boolean.FALSE;
	}

	/** Answers whether the agent can take chats. */
	private Boolean repairAgent(RoutingJournal.AgentRef ref) {
		this.locks.shared(ref.companyId());
		Optional<Agent> agent = this.agents.lock(ref.companyId(), ref.agentId());
		if (agent.isPresent()) {
			Agent a = agent.get();
			return this.scripts.syncAgent(ref.companyId(), a.agentId(), a.role().name(), a.status().name(),
					String.join(",", a.groupIds()), null, false).eligible();
		}
		// The agent's creation rolled back: it must not stay in any pool.
		this.scripts.syncAgent(ref.companyId(), ref.agentId(), "NONE", "OFFLINE", "", null, true);
		return Boolean.FALSE;
	}

	/** Answers whether the repair gave back a slot or changed the queue. */
	private Boolean repairChat(RoutingJournal.ChatRef ref) {
		this.locks.shared(ref.companyId());
		Chat chat = this.chats.lock(ref.companyId(), ref.chatId()).orElse(null);
		return this.scripts.syncChat(ref.companyId(), ref.chatId(), RoutingScripts.Committed.of(chat), false);
	}

	/** Runs a repair; when it fails, the company's state may have drifted and is rebuilt later. */
	private Boolean attempt(String companyId, String what, Supplier<Boolean> repair) {
		try {
			return this.transactions.retryingInNewTransaction(repair);
		}
		catch (RoutingStateMissing ex) {
			this.rebuilder.rebuildLater(companyId);
			return Boolean.FALSE;
		}
		catch (RuntimeException ex) {
			log.warn("Could not repair the routing state of {} after a rollback: {}", what, ex.toString());
			this.rebuilder.rebuildLater(companyId);
			return Boolean.FALSE;
		}
	}

}
