package io.autoassign.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.WaitingFor;
import io.autoassign.events.EventOutbox;
import io.autoassign.events.UnassignReason;
import io.autoassign.platform.TransactionScoped;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;
import io.autoassign.settings.Strategy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Routes one chat: the work of the lifecycle's "Assign agent by strategy" and "Put chat in
 * queue" steps. Chooses the pool (the chat's group when it must stay within it), runs the
 * strategy and the capacity reservation as one Redis step, records the outcome on the chat and
 * emits its events.
 */
@Service
public class ChatRouting {

	/** Where a routing step left a chat. */
	public enum Outcome {

		/** With an agent. */
		ASSIGNED,

		/** No agent may take it now: the lifecycle queues it next. */
		NO_AGENT,

		/** In the queue. */
		QUEUED,

		/** Auto-assign is disabled: it waits. */
		PENDING

	}

	/** The outcome with its details: the agent, or the queue position. */
	public record Result(Outcome outcome, String agentId, int queuePosition) {
	}

	private final ChatStore chats;

	private final SettingsService settings;

	private final Router router;

	private final EventOutbox events;

	private final Clock clock;

	private final ObjectProvider<RoutingListener> listener;

	ChatRouting(ChatStore chats, SettingsService settings, Router router, EventOutbox events, Clock clock,
			ObjectProvider<RoutingListener> listener) {
		this.chats = chats;
		this.settings = settings;
		this.router = router;
		this.events = events;
		this.clock = clock;
		this.listener = listener;
	}

	/**
	 * The pool a chat is routed in: its group's agents when it has a group and either has never
	 * been with an agent (the customer just chose the group in the Auto-Menu) or group-based
	 * assignment is on; every agent otherwise.
	 */
	public static String pool(Chat chat, AutoAssignConfig config) {
		String group = chat.assignedGroupId();
		boolean withinGroup = group != null && (!chat.everAssigned() || config.groupBasedAssignment());
		return Router.pool(withinGroup ? group : null);
	}

	/**
	 * Assigns the chat to an agent chosen by the strategy ({@code strategyOverride} instead of the
	 * company's, when given; with {@code ignoreGroup} among all agents). A chat that is ASSIGNED
	 * is being re-routed because its agent went offline: it gives up its slot first.
	 */
	public Result assign(String companyId, String chatId, Strategy strategyOverride, boolean ignoreGroup) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = lock(companyId, chatId);
		Instant now = this.clock.instant();
		String previous = chat.isAssigned() ? chat.assignedAgentId() : null;
		if (!config.enabled()) {
			if (previous != null) {
				this.router.release(companyId, chatId);
			}
			long sequence = this.chats.markPending(companyId, chatId, WaitingFor.AUTO_ASSIGN);
			unassigned(chat, previous, sequence);
			return record(chatId, new Result(Outcome.PENDING, null, 0));
		}
		String pool = ignoreGroup ? Router.pool(null) : pool(chat, config);
		Strategy strategy = strategyOverride != null ? strategyOverride : config.strategy();
		Router.Assignment assignment = this.router.assign(companyId, chatId, pool, strategy);
		if (assignment.assigned()) {
			long sequence = this.chats.markAssigned(companyId, chatId, assignment.agentId(), now);
			unassigned(chat, previous, sequence);
			this.events.chatAssigned(ChatView.of(chat.assignedTo(assignment.agentId(), now), null), sequence);
			return record(chatId, new Result(Outcome.ASSIGNED, assignment.agentId(), 0));
		}
		if (previous != null) {
			// The former agent's slot is given up; the chat is between agents until it is queued.
			long sequence = this.chats.markPending(companyId, chatId, null);
			unassigned(chat, previous, sequence);
		}
		return record(chatId, new Result(Outcome.NO_AGENT, null, 0));
	}

	/**
	 * Puts the chat in the FIFO queue of its pool ({@code anyAgent}: of every agent). Once the
	 * transaction commits, the chat is offered to any agent that became free meanwhile.
	 */
	public Result enqueue(String companyId, String chatId, boolean anyAgent) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = lock(companyId, chatId);
		String previous = chat.isAssigned() ? chat.assignedAgentId() : null;
		String pool = anyAgent ? Router.pool(null) : pool(chat, config);
		Router.Queued queued = this.router.enqueue(companyId, chatId, pool);
		long sequence = this.chats.markQueued(companyId, chatId, queued.queueSeq(), pool, this.clock.instant());
		unassigned(chat, previous, sequence);
		TransactionScoped.get(QueuedChats.class, () -> new QueuedChats(this.listener)).add(companyId, chatId, pool);
		// Redis orders the queue across concurrent transactions; its position is the truthful one.
		return record(chatId, new Result(Outcome.QUEUED, null, queued.position()));
	}

	/** How routing left the chat earlier in the current transaction, if it ran. */
	public Result routedInThisTransaction(String chatId) {
		return TransactionScoped.get(RoutedChats.class, RoutedChats::new).results.get(chatId);
	}

	private void unassigned(Chat chat, String previous, long sequence) {
		if (previous != null) {
			this.events.chatUnassigned(chat.companyId(), chat.chatId(), previous, UnassignReason.AGENT_OFFLINE,
					sequence);
		}
	}

	private Result record(String chatId, Result result) {
		TransactionScoped.get(RoutedChats.class, RoutedChats::new).results.put(chatId, result);
		return result;
	}

	private Chat lock(String companyId, String chatId) {
		return this.chats.lock(companyId, chatId)
			.orElseThrow(() -> new IllegalStateException("Chat " + chatId + " of " + companyId + " is missing"));
	}

	/** Chats queued by the current transaction, offered to a free agent once it commits. */
	private static final class QueuedChats implements TransactionSynchronization {

		private final List<String[]> queued = new ArrayList<>();

		private final ObjectProvider<RoutingListener> listener;

		QueuedChats(ObjectProvider<RoutingListener> listener) {
			this.listener = listener;
		}

		void add(String companyId, String chatId, String pool) {
			this.queued.add(new String[] { companyId, chatId, pool });
		}

		@Override
		public void afterCommit() {
			this.listener.ifAvailable((l) -> this.queued.forEach((q) -> l.queuedAndCommitted(q[0], q[1], q[2])));
		}

	}

	private static final class RoutedChats implements TransactionSynchronization {

		final Map<String, Result> results = new HashMap<>();

	}

}
