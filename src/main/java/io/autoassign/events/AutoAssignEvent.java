package io.autoassign.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.autoassign.agent.AgentView;
import io.autoassign.chat.ChatView;

/**
 * The real-time events of the contract. Each serializes to one JSON message
 * {@code { "type", "eventId", "companyId", "occurredAt", ...fields of its type }}.
 */
public sealed interface AutoAssignEvent {

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

	/** A chat entered the queue because no agent was available. */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "chatId", "queuePosition", "groupId" })
	record ChatQueued(String eventId, String companyId, Instant occurredAt, String chatId, int queuePosition,
			String groupId) implements AutoAssignEvent {

		@Override
		@JsonProperty("type")
		public String type() {
			return "CHAT_QUEUED";
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

	/** What a user who just subscribed holds: its chats, and for admins the queue. */
	@JsonPropertyOrder({ "type", "eventId", "companyId", "occurredAt", "assignedChats", "queuedChats" })
	record ChatAssignmentSync(String eventId, String companyId, Instant occurredAt, List<ChatView> assignedChats,
			List<QueueEntry> queuedChats) implements AutoAssignEvent {

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

	/** One queued chat, as in {@code GET .../queue}. */
	record QueueEntry(String chatId, int position, Instant queuedAt, String groupId) {
	}

}
