package io.autoassign.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.WaitingFor;
import io.autoassign.events.EventOutbox;
import io.autoassign.events.UnassignReason;
import io.autoassign.platform.TransactionScoped;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Routes one chat: the work of the lifecycle's "Assign agent by strategy" task. Chooses the
 * pool (the chat's group when it must stay within it), runs the strategy and the capacity
 * reservation as one Redis step, records the outcome on the chat and emits its events.
 */
@Service
public class ChatRouting {

	/** Where routing left a chat. */
	public enum Outcome {

		ASSIGNED, QUEUED, PENDING

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
	 * Routes the chat now. A chat that is ASSIGNED is being re-routed because its agent went
	 * offline: it gives up its slot and stays within its group only with group-based
	 * assignment. A first assignment (after the menu, or after auto-assign was re-enabled)
	 * always honours the chosen group.
	 */
	public Result route(String companyId, String chatId) {
		Result result = doRoute(companyId, chatId);
		TransactionScoped.get(RoutedChats.class, RoutedChats::new).results.put(chatId, result);
		return result;
	}

	/** How {@link #route} left the chat earlier in the current transaction, if it ran. */
	public Result routedInThisTransaction(String chatId) {
		return TransactionScoped.get(RoutedChats.class, RoutedChats::new).results.get(chatId);
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

	private Result doRoute(String companyId, String chatId) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = this.chats.lock(companyId, chatId)
			.orElseThrow(() -> new IllegalStateException("Chat " + chatId + " of " + companyId + " is missing"));
		Instant now = this.clock.instant();
		boolean reroute = chat.assignmentStatus() == AssignmentStatus.ASSIGNED;
		String previous = reroute ? chat.assignedAgentId() : null;
		if (!config.enabled()) {
			if (reroute) {
				this.router.release(companyId, chatId);
			}
			long sequence = this.chats.markPending(companyId, chatId, WaitingFor.AUTO_ASSIGN);
			if (reroute) {
				this.events.chatUnassigned(companyId, chatId, previous, UnassignReason.AGENT_OFFLINE, sequence);
			}
			return new Result(Outcome.PENDING, null, 0);
		}
		String group = chat.assignedGroupId();
		boolean withinGroup = group != null && (!reroute || config.groupBasedAssignment());
		String pool = Router.pool(withinGroup ? group : null);
		Router.Placement placement = this.router.assignOrEnqueue(companyId, chatId, pool, config.strategy());
		long sequence = placement.assigned() ? this.chats.markAssigned(companyId, chatId, placement.agentId(), now)
				: this.chats.markQueued(companyId, chatId, placement.queueSeq(), pool, now);
		if (previous != null) {
			this.events.chatUnassigned(companyId, chatId, previous, UnassignReason.AGENT_OFFLINE, sequence);
		}
		if (placement.assigned()) {
			this.events.chatAssigned(ChatView.of(chat.assignedTo(placement.agentId(), now), null), sequence);
			return new Result(Outcome.ASSIGNED, placement.agentId(), 0);
		}
		// Redis orders the queue across concurrent transactions; its position is the truthful one.
		this.events.chatQueued(companyId, chatId, placement.queuePosition(), group, sequence);
		// Registered after the event, so that CHAT_QUEUED leaves before a CHAT_ASSIGNED this causes.
		TransactionScoped.get(QueuedChats.class, () -> new QueuedChats(this.listener)).add(companyId, chatId, pool);
		return new Result(Outcome.QUEUED, null, placement.queuePosition());
	}

}
