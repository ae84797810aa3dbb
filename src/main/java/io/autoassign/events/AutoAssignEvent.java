package io.autoassign.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.autoassign.agent.AgentView;
import io.autoassign.chat.ChatView;
import io.autoassign.chat.CloseDetail;
import io.autoassign.chat.CloseReason;
import io.autoassign.chat.Priority;
import io.autoassign.chat.PriorityChange;

/**
 * The real-time events of the contract. Each serializes to one JSON message
 * {@code { "type", "eventId", "companyId", "occurredAt", ...fields of its type }}.
 */
public sealed interface AutoAssignEvent {

	/**
	 * The types of the events that announce a change (every type but the sync a session gets on
	 * subscribing), in the contract's order: what a webhook may subscribe to.
	 */
	List<String> CHANGE_TYPES = List.of("CHAT_ASSIGNED", "CHAT_UNASSIGNED", "CHAT_QUEUED", "CHAT_TAKEN_OVER",
			"CHAT_CLOSED", "AGENT_CHATS_REASSIGNED", "AGENT_UPDATED", "CHAT_NO_REPLY_ESCALATED",
			"CHAT_PRIORITY_CHANGED");

	@JsonProperty("type")
	String type();

	String eventId();

	String companyId();

	Instant occurredAt();

	/** A chat was assigned to an agent (initially, from the queue, by re-routing or re-balancing). */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "agentId", "chat" })
	record ChatAssigned(String eventId, String companyId, Instant occurredAt, String chatId, String agentId,
			ChatView chat) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_ASSIGNED";
		}

	}

	/** A chat left its agent. */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "agentId", "reason" })
	record ChatUnassigned(String eventId, String companyId, Instant occurredAt, String chatId, String agentId,
			UnassignReason reason) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_UNASSIGNED";
		}

	}

	/**
	 * A chat entered the queue: no agent was available ({@code reason} NO_AGENT_AVAILABLE), or
	 * the team is outside its business hours (OUTSIDE_BUSINESS_HOURS, with {@code opensAt}: when
	 * it opens, {@code null} when it does not within a year). {@code priority}: the chat's (the
	 * queue serves higher priorities first). {@code estimatedWaitSeconds}: see
	 * {@link io.autoassign.chat.WaitEstimates}.
	 */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "queuePosition", "groupId", "reason",
			"opensAt", "priority", "estimatedWaitSeconds" })
	record ChatQueued(String eventId, String companyId, Instant occurredAt, String chatId, int queuePosition,
			String groupId, QueueReason reason, Instant opensAt, Priority priority, Integer estimatedWaitSeconds)
			implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_QUEUED";
		}

	}

	/**
	 * The member has waited {@code noReplyMinutes} for an answer and the chat was already passed
	 * on {@code maxNoReplyReassignments} times (or nobody else may take it, once that many
	 * reassignments are spent): it stays with {@code agentId}, and the admins are asked to step in.
	 * {@code waitingSince}: when the member started waiting for this agent.
	 */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "agentId", "waitingSince",
			"noReplyReassignments" })
	record ChatNoReplyEscalated(String eventId, String companyId, Instant occurredAt, String chatId, String agentId,
			Instant waitingSince, int noReplyReassignments) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_NO_REPLY_ESCALATED";
		}

	}

	/**
	 * A chat's priority changed (an addition to the contract): to the agent or admin holding it
	 * and every admin. A queued chat moved to the place of its new priority, from
	 * {@code previousQueuePosition} to {@code queuePosition}: this one event says where every
	 * queued chat went, since the chats between the two positions each moved by one toward
	 * {@code previousQueuePosition} and no other chat moved (both {@code null} when the chat is
	 * not queued). {@code reason}: REQUESTED (the platform or an admin set it) or AGING (the chat
	 * waited {@code queueAgingMinutes} and rose one level). {@code chat}: the chat after the change.
	 */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "priority", "previousPriority",
			"reason", "previousQueuePosition", "queuePosition", "chat" })
	record ChatPriorityChanged(String eventId, String companyId, Instant occurredAt, String chatId, Priority priority,
			Priority previousPriority, PriorityChange reason, Integer previousQueuePosition, Integer queuePosition,
			ChatView chat)
			implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_PRIORITY_CHANGED";
		}

	}

	/** An admin took a chat over. */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "adminId", "previousAgentId" })
	record ChatTakenOver(String eventId, String companyId, Instant occurredAt, String chatId, String adminId,
			String previousAgentId) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_TAKEN_OVER";
		}

	}

	/**
	 * A chat was closed (by the platform, for inactivity, or by an operator cancelling its
	 * lifecycle): to the agent or admin that held it and every admin (an addition to the contract).
	 *
	 * @param previousAgentId the agent or admin that held the chat, {@code null} when nobody did
	 * (it was queued or pending)
	 */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "closeReason", "closeDetail",
			"previousAgentId", "chat" })
	record ChatClosed(String eventId, String companyId, Instant occurredAt, String chatId, CloseReason closeReason,
			CloseDetail closeDetail, String previousAgentId, ChatView chat) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_CLOSED";
		}

	}

	/** An agent's chats were bulk re-routed after it went offline. */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "agentId", "reassigned", "queued" })
	record AgentChatsReassigned(String eventId, String companyId, Instant occurredAt, String agentId,
			List<Reassigned> reassigned, List<Queued> queued) implements AutoAssignEvent {

		public record Reassigned(String chatId, String agentId) {
		}

		public record Queued(String chatId, int queuePosition) {
		}

		@Override
		@JsonProperty("type")
		public String type() {
			return "AGENT_CHATS_REASSIGNED";
		}

	}

	/**
	 * What a user who just subscribed holds: its chats, and for admins the queue. The platform's
	 * session gets every open chat as well (an addition to the contract): the first
	 * {@code ChatListing.MAX_LIMIT} in chat id order, and when more are open the cursor with which
	 * {@code GET .../chats?status=OPEN&cursor=} continues; both are absent for other users.
	 */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "assignedChats", "queuedChats", "openChats",
			"openChatsNext" })
	record ChatAssignmentSync(String eventId, String companyId, Instant occurredAt, List<ChatView> assignedChats,
			List<QueueEntry> queuedChats, @JsonInclude(JsonInclude.Include.NON_NULL) List<ChatView> openChats,
			@JsonInclude(JsonInclude.Include.NON_NULL) String openChatsNext) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_ASSIGNMENT_SYNC";
		}

	}

	/**
	 * An agent was created or changed its status, role or groups (an addition to the contract,
	 * for admin consoles): to every admin.
	 */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "agent" })
	record AgentUpdated(String eventId, String companyId, Instant occurredAt, AgentView agent)
			implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "AGENT_UPDATED";
		}

	}

	/**
	 * One queued chat, as in {@code GET .../queue}; {@code estimatedWaitSeconds}: see
	 * {@link io.autoassign.chat.WaitEstimates} ({@code null} when the recent history is too thin).
	 */
	record QueueEntry(String chatId, int position, Instant queuedAt, String groupId, Priority priority,
			Integer estimatedWaitSeconds) {
	}

}
