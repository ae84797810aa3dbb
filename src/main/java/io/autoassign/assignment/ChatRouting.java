package io.autoassign.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.WaitingFor;
import io.autoassign.events.UnassignReason;
import io.autoassign.platform.TransactionScoped;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;
import io.autoassign.settings.Strategy;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Routes one chat: the work of the lifecycle's "Assign agent by strategy" and "Put chat in
 * queue" steps. Chooses the pool (the chat's group when it must stay within it) and the
 * strategy; {@link Placements} takes the Redis step and records the outcome with its events.
 */
@Service
public class ChatRouting {

	/** Where a routing step left a chat. */
	public enum Outcome {

		/** With an agent. */
		ASSIGNED,

		/** No agent may take it now (or an older queued chat comes first): the lifecycle queues it next. */
		NO_AGENT,

		/** In the queue. */
		QUEUED,

		/** Auto-assign is disabled: it waits. */
		PENDING,

		/**
		 * Its preferred agent cannot take it now: it waits for that agent until
		 * {@link Result#preferredWaitUntil()}, then goes by the strategy.
		 */
		WAIT_FOR_PREFERRED

	}

	/**
	 * The outcome with its details: the agent, or the queue position; {@code outsideBusinessHours}
	 * when no agent was looked for because the team is not working (then {@code opensAt} is when
	 * it opens, {@code null} if not within a year).
	 */
	public record Result(Outcome outcome, String agentId, int queuePosition, boolean outsideBusinessHours,
			Instant opensAt, Instant preferredWaitUntil) {

		Result(Outcome outcome, String agentId, int queuePosition) {
			this(outcome, agentId, queuePosition, false, null, null);
		}

		Result(Outcome outcome, String agentId, int queuePosition, boolean outsideBusinessHours, Instant opensAt) {
			this(outcome, agentId, queuePosition, outsideBusinessHours, opensAt, null);
		}

	}

	private final ChatStore chats;

	private final SettingsService settings;

	private final Placements placements;

	private final Clock clock;

	ChatRouting(ChatStore chats, SettingsService settings, Placements placements, Clock clock) {
		this.chats = chats;
		this.settings = settings;
		this.placements = placements;
		this.clock = clock;
	}

	/**
	 * The pool a chat is routed in: its group's agents when it has a group and either has never
	 * been with an agent (the customer just chose the group in the Auto-Menu) or group-based
	 * assignment is on; every agent otherwise.
	 */
	public static String pool(Chat chat, AutoAssignConfig config) {
		String group = chat.assignedGroupId();
		boolean withinGroup = group != null && (!chat.everAssigned() || config.groupBasedAssignment());
		return RoutingKeys.pool(withinGroup ? group : null);
	}

	/**
	 * Assigns the chat to an agent chosen by the strategy ({@code strategyOverride} instead of the
	 * company's, when given; with {@code ignoreGroup} among all agents). A chat that is ASSIGNED
	 * is being re-routed because its agent left ({@code reason}, AGENT_OFFLINE when null): it
	 * gives up its slot first. Outside business hours no agent is looked for: the outcome is
	 * NO_AGENT at once, as when nobody is eligible.
	 */
	public Result assign(String companyId, String chatId, Strategy strategyOverride, boolean ignoreGroup,
			UnassignReason reason) {
		return assign(companyId, chatId, strategyOverride, ignoreGroup, reason, null);
	}

	/**
	 * Routes the chat. A chat routed for the first time that prefers an agent goes to that agent
	 * when it may take it now; else, with {@code preferredAgentWaitSeconds}, it waits for that agent
	 * until {@code preferredWaitUntil} (set at its first look, then given back by the lifecycle),
	 * and after that it goes by the strategy like any other chat.
	 */
	public Result assign(String companyId, String chatId, Strategy strategyOverride, boolean ignoreGroup,
			UnassignReason reason, Instant preferredWaitUntil) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = lock(companyId, chatId);
		UnassignReason why = reason != null ? reason : UnassignReason.AGENT_OFFLINE;
		if (!config.enabled()) {
			this.placements.pending(chat, WaitingFor.AUTO_ASSIGN, why);
			return record(chatId, new Result(Outcome.PENDING, null, 0));
		}
		Instant now = this.clock.instant();
		if (!config.openAt(now)) {
			if (chat.isAssigned()) {
				// as when nobody is eligible: it leaves its agent and is between agents until queued
				this.placements.pending(chat, null, why);
			}
			return record(chatId, new Result(Outcome.NO_AGENT, null, 0, true, config.openingHours().opensAt(now)));
		}
		String pool = ignoreGroup ? RoutingKeys.pool(null) : pool(chat, config);
		Strategy strategy = strategyOverride != null ? strategyOverride : config.strategy();
		String preferred = chat.everAssigned() || chat.preference() == null ? null : chat.preference().agentId();
		Instant until = preferredWaitUntil;
		if (preferred != null && until == null && config.preferredAgentWaitSeconds() > 0) {
			until = now.plusSeconds(config.preferredAgentWaitSeconds());
		}
		boolean mayWait = preferred != null && until != null && now.isBefore(until);
		RoutingScripts.Decision decision = this.placements.assignByStrategy(chat, pool, strategy, why, preferred,
				mayWait);
		if (decision.assigned()) {
			return record(chatId, new Result(Outcome.ASSIGNED, decision.agentId(), 0));
		}
		if (decision.preferredBusy()) {
			this.placements.pending(chat, WaitingFor.PREFERRED_AGENT, why);
			return record(chatId, new Result(Outcome.WAIT_FOR_PREFERRED, null, 0, false, null, until));
		}
		return record(chatId, new Result(Outcome.NO_AGENT, null, 0));
	}

	/**
	 * Puts the chat in the FIFO queue of its pool ({@code anyAgent}: of every agent). Once the
	 * transaction commits, the queue is dispatched: an agent may have become free meanwhile.
	 */
	public Result enqueue(String companyId, String chatId, boolean anyAgent) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = lock(companyId, chatId);
		String pool = anyAgent ? RoutingKeys.pool(null) : pool(chat, config);
		Result routed = routedInThisTransaction(chatId);
		Placements.Queued queued = this.placements.enqueue(chat, pool, UnassignReason.AGENT_OFFLINE);
		boolean outside = routed != null && routed.outsideBusinessHours();
		return record(chatId, new Result(Outcome.QUEUED, null, queued.position(), outside,
				outside ? routed.opensAt() : null));
	}

	/** How routing left the chat earlier in the current transaction, if it ran. */
	public Result routedInThisTransaction(String chatId) {
		return TransactionScoped.get(RoutedChats.class, RoutedChats::new).results.get(chatId);
	}

	private Result record(String chatId, Result result) {
		TransactionScoped.get(RoutedChats.class, RoutedChats::new).results.put(chatId, result);
		return result;
	}

	private Chat lock(String companyId, String chatId) {
		return this.chats.lock(companyId, chatId)
			.orElseThrow(() -> new IllegalStateException("Chat " + chatId + " of " + companyId + " is missing"));
	}

	private static final class RoutedChats implements TransactionSynchronization {

		final Map<String, Result> results = new HashMap<>();

	}

}
