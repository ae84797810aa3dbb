package io.autoassign.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.autoassign.agent.AgentView;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.Priority;
import io.autoassign.chat.PriorityChange;
import io.autoassign.platform.TransactionScoped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Collects the events of the current transaction, writes them to the {@link EventLog} in that
 * transaction (just before it commits), and hands them to the {@link EventPort} in the order
 * they were emitted once it has committed; a rolled-back transaction emits nothing, and a
 * committed one cannot lose its events whatever happens after the commit (every node reads them
 * from the log: {@link EventStream}). Also the factory of events, so that each gets a unique id
 * and the service's time.
 */
@Component
public class EventOutbox {

	private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);

	private final EventPort port;

	private final EventLog eventLog;

	private final Clock clock;

	private final EventMetrics metrics;

	EventOutbox(EventPort port, EventLog log, Clock clock, EventMetrics metrics) {
		this.port = port;
		this.eventLog = log;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * CHAT_ASSIGNED to the assigned agent and every admin.
	 * @param sequence the chat's event sequence number in this transaction (from {@code ChatStore})
	 */
	public void chatAssigned(ChatView chat, long sequence) {
		emit(new AutoAssignEvent.ChatAssigned(newEventId(), chat.companyId(), now(), chat.chatId(),
				chat.assignedAgentId(), chat), Recipients.usersAndAdmins(chat.assignedAgentId()), chat.chatId(),
				sequence);
	}

	/** CHAT_UNASSIGNED to the agent (or admin) that lost the chat. */
	public void chatUnassigned(String companyId, String chatId, String agentId, UnassignReason reason, long sequence) {
		emit(new AutoAssignEvent.ChatUnassigned(newEventId(), companyId, now(), chatId, agentId, reason),
				Recipients.users(agentId), chatId, sequence);
	}

	/** CHAT_QUEUED to every admin. */
	public void chatQueued(String companyId, String chatId, int queuePosition, String groupId, QueueReason reason,
			Instant opensAt, Priority priority, Integer estimatedWaitSeconds, long sequence) {
		emit(new AutoAssignEvent.ChatQueued(newEventId(), companyId, now(), chatId, queuePosition, groupId,
				reason == null ? QueueReason.NO_AGENT_AVAILABLE : reason, opensAt, priority, estimatedWaitSeconds),
				Recipients.admins(), chatId, sequence);
	}

	/**
	 * CHAT_PRIORITY_CHANGED to the agent or admin holding the chat and every admin;
	 * {@code previousQueuePosition}: where a queued chat was before it moved.
	 */
	public void chatPriorityChanged(ChatView chat, Priority previous, PriorityChange reason,
			Integer previousQueuePosition, String holder, long sequence) {
		emit(new AutoAssignEvent.ChatPriorityChanged(newEventId(), chat.companyId(), now(), chat.chatId(),
				chat.priority(), previous, reason, previousQueuePosition, chat.queuePosition(), chat),
				Recipients.usersAndAdmins(holder), chat.chatId(), sequence);
	}

	/** CHAT_NO_REPLY_ESCALATED to every admin: the member of the agent's chat waits too long for an answer. */
	public void chatNoReplyEscalated(String companyId, String chatId, String agentId, Instant waitingSince,
			int reassignments, long sequence) {
		emit(new AutoAssignEvent.ChatNoReplyEscalated(newEventId(), companyId, now(), chatId, agentId, waitingSince,
				reassignments), Recipients.admins(), chatId, sequence);
	}

	/** CHAT_TAKEN_OVER to the previous agent, the admin who took over and every other admin. */
	public void chatTakenOver(String companyId, String chatId, String adminId, String previousAgentId,
			long sequence) {
		emit(new AutoAssignEvent.ChatTakenOver(newEventId(), companyId, now(), chatId, adminId, previousAgentId),
				Recipients.usersAndAdmins(previousAgentId, adminId), chatId, sequence);
	}

	/** CHAT_CLOSED to the agent or admin that held the chat and every admin. */
	public void chatClosed(ChatView chat, String previousAgentId, long sequence) {
		emit(new AutoAssignEvent.ChatClosed(newEventId(), chat.companyId(), now(), chat.chatId(), chat.closeReason(),
				chat.closeDetail(), previousAgentId, chat), Recipients.usersAndAdmins(previousAgentId), chat.chatId(), sequence);
	}

	/** AGENT_CHATS_REASSIGNED to every agent and admin of the company. */
	public void agentChatsReassigned(String companyId, String agentId,
			List<AutoAssignEvent.AgentChatsReassigned.Reassigned> reassigned,
			List<AutoAssignEvent.AgentChatsReassigned.Queued> queued) {
		emit(new AutoAssignEvent.AgentChatsReassigned(newEventId(), companyId, now(), agentId, List.copyOf(reassigned),
				List.copyOf(queued)), Recipients.everyone(), null, 0);
	}

	/** AGENT_UPDATED to every admin. */
	public void agentUpdated(String companyId, AgentView agent) {
		emit(new AutoAssignEvent.AgentUpdated(newEventId(), companyId, now(), agent), Recipients.admins(), null, 0);
	}

	public String newEventId() {
		return UUID.randomUUID().toString();
	}

	public Instant now() {
		return this.clock.instant();
	}

	/** Emits {@code event} to {@code recipients} when the current transaction commits. */
	void emit(AutoAssignEvent event, Recipients recipients, String chatId, long sequence) {
		Delivery delivery = new Delivery(event, recipients, chatId, sequence);
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			this.eventLog.append(UUID.randomUUID().toString(), List.of(delivery), now());
			this.metrics.committed(List.of(delivery));
			deliver(List.of(delivery));
			return;
		}
		pending().add(delivery);
	}

	private List<Delivery> pending() {
		return TransactionScoped.get(Outgoing.class, () -> new Outgoing(this)).events;
	}

	/** The events of one transaction, delivered when it commits. */
	private static final class Outgoing implements TransactionSynchronization {

		final List<Delivery> events = new ArrayList<>();

		private final EventOutbox outbox;

		Outgoing(EventOutbox outbox) {
			this.outbox = outbox;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			if (!this.events.isEmpty()) {
				this.outbox.eventLog.append(UUID.randomUUID().toString(), this.events, this.outbox.now());
			}
		}

		@Override
		public void afterCommit() {
			this.outbox.metrics.committed(this.events);
			this.outbox.deliver(this.events);
		}

	}

	private void deliver(List<Delivery> events) {
		if (events.isEmpty()) {
			return;
		}
		try {
			this.port.deliver(List.copyOf(events));
		}
		catch (RuntimeException ex) {
			// The transaction is committed: a delivery failure must not turn into a failed request.
			log.warn("Could not deliver {} events: {}", events.size(), ex.toString());
		}
	}

}
