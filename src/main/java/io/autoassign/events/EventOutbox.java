package io.autoassign.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.autoassign.chat.ChatView;
import io.autoassign.platform.TransactionScoped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Collects the events of the current transaction and hands them to the {@link EventPort} in
 * the order they were emitted once the transaction commits; a rolled-back transaction emits
 * nothing. Also the factory of events, so that each gets a unique id and the service's time.
 */
@Component
public class EventOutbox {

	private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);

	private final EventPort port;

	private final Clock clock;

	EventOutbox(EventPort port, Clock clock) {
		this.port = port;
		this.clock = clock;
	}

	private record Pending(AutoAssignEvent event, Recipients recipients) {
	}

	/** CHAT_ASSIGNED to the assigned agent and every admin. */
	public void chatAssigned(ChatView chat) {
		emit(new AutoAssignEvent.ChatAssigned(newEventId(), chat.companyId(), now(), chat.chatId(),
				chat.assignedAgentId(), chat), Recipients.usersAndAdmins(chat.assignedAgentId()));
	}

	/** CHAT_UNASSIGNED to the agent (or admin) that lost the chat. */
	public void chatUnassigned(String companyId, String chatId, String agentId, UnassignReason reason) {
		emit(new AutoAssignEvent.ChatUnassigned(newEventId(), companyId, now(), chatId, agentId, reason),
				Recipients.users(agentId));
	}

	/** CHAT_QUEUED to every admin. */
	public void chatQueued(String companyId, String chatId, int queuePosition, String groupId) {
		emit(new AutoAssignEvent.ChatQueued(newEventId(), companyId, now(), chatId, queuePosition, groupId),
				Recipients.admins());
	}

	/** CHAT_TAKEN_OVER to the previous agent and the admin who took over. */
	public void chatTakenOver(String companyId, String chatId, String adminId, String previousAgentId) {
		emit(new AutoAssignEvent.ChatTakenOver(newEventId(), companyId, now(), chatId, adminId, previousAgentId),
				Recipients.users(previousAgentId, adminId));
	}

	/** AGENT_CHATS_REASSIGNED to every agent and admin of the company. */
	public void agentChatsReassigned(String companyId, String agentId,
			List<AutoAssignEvent.AgentChatsReassigned.Reassigned> reassigned,
			List<AutoAssignEvent.AgentChatsReassigned.Queued> queued) {
		emit(new AutoAssignEvent.AgentChatsReassigned(newEventId(), companyId, now(), agentId, List.copyOf(reassigned),
				List.copyOf(queued)), Recipients.everyone());
	}

	public String newEventId() {
		return UUID.randomUUID().toString();
	}

	public Instant now() {
		return this.clock.instant();
	}

	/** Emits {@code event} to {@code recipients} when the current transaction commits. */
	public void emit(AutoAssignEvent event, Recipients recipients) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			deliver(List.of(new Pending(event, recipients)));
			return;
		}
		pending().add(new Pending(event, recipients));
	}

	private List<Pending> pending() {
		return TransactionScoped.get(Outgoing.class, () -> new Outgoing(this)).events;
	}

	/** The events of one transaction, delivered when it commits. */
	private static final class Outgoing implements TransactionSynchronization {

		final List<Pending> events = new ArrayList<>();

		private final EventOutbox outbox;

		Outgoing(EventOutbox outbox) {
			this.outbox = outbox;
		}

		@Override
		public void afterCommit() {
			this.outbox.deliver(this.events);
		}

	}

	private void deliver(List<Pending> events) {
		for (Pending pending : events) {
			try {
				this.port.deliver(pending.event(), pending.recipients());
			}
			catch (RuntimeException ex) {
				// The transaction is committed: a delivery failure must not turn into a failed request.
				log.warn("Could not deliver {} {}: {}", pending.event().type(), pending.event().eventId(), ex.toString());
			}
		}
	}

}
