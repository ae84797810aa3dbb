package io.autoassign.lifecycle;

import java.util.Date;
import java.util.Set;

import io.autoassign.assignment.ChatRouting;
import io.autoassign.events.QueueReason;
import io.autoassign.events.UnassignReason;

/**
 * What binds {@code processes/chat-lifecycle.bpmn}: its key, element ids, messages and
 * variables. An instance per chat: business key = chat id, tenant id = company id.
 */
public final class ChatLifecycleProcess {

	public static final String KEY = "chat-lifecycle";

	private ChatLifecycleProcess() {
	}

	/**
	 * The diagram's element ids, as the code, the tests and Cockpit name them
	 * ({@code ProcessBindingsTests} checks that each exists, and deployment refuses a diagram
	 * that lacks one).
	 */
	public enum Element {

		StartEvent_ChatCreated, Gateway_Fork, Gateway_AutoMenu, Gateway_MenuWait, Event_MenuSelected,
		Timer_MenuTimeout, Event_TakeoverDuringMenu, Gateway_Route, Task_AssignAgent, Gateway_Outcome,
		Task_WaitAutoAssign, Event_TakeoverWhilePending, Task_Enqueue, Task_AnnounceQueued, SubProcess_Queue,
		StartEvent_QueueWait, Task_WaitInQueue, EndEvent_Dequeued, Timer_QueueEscalation, Task_PrepareEscalation,
		Gateway_Escalate, EndEvent_NoEscalation, Gateway_AskAdmin, UserTask_AssignQueuedChat, Task_ApplyAdminChoice,
		Gateway_Choice, EndEvent_AssignedByAdmin, EndEvent_TakenOverByAdmin, Event_TakeoverWhileQueued,
		Gateway_AfterQueue, Gateway_Assigned, Task_InConversation, Event_TakeoverInConversation, Gateway_TakeOver,
		Task_TakeOver, Gateway_HandedOver, EndEvent_HandedToAdmin, Gateway_WatchLoop, Timer_Inactivity,
		Task_CheckInactivity, Gateway_Inactive, Task_AutoClose, EndEvent_AutoClosed, SubProcess_Close,
		StartEvent_CloseRequested, Task_CloseChat, EndEvent_Closed, Gateway_ReplyWatchOn, Gateway_ReplyWatchLoop,
		Task_CheckNoReply,
		Gateway_KeepWatching, Timer_NoReply, EndEvent_ReplyWatchEnded, EndEvent_ReplyWatchOff, Task_WaitPreferred,
		Timer_PreferredWait, Event_TakeoverWhileWaitingPreferred

	}

	/** Message names the lifecycle waits for. */
	public static final class Messages {

		public static final String MENU_SELECTED = "ChatMenuSelected";

		public static final String DEQUEUED = "ChatDequeued";

		public static final String UNASSIGNED = "ChatUnassigned";

		public static final String AUTO_ASSIGN_RESUMED = "AutoAssignResumed";

		public static final String ADMIN_TAKEOVER = "AdminTakeover";

		public static final String CLOSE = "CloseChat";

		public static final String PREFERRED_AGENT_FREE = "PreferredAgentFree";

		private Messages() {
		}

	}

	/** The admin's choice in the escalation form (variable {@code decision}). */
	public static final String DECISION_ASSIGN = "assign";

	public static final String DECISION_TAKEOVER = "takeover";

	/** What the admin's choice in the escalation task came to (variable {@code queueOutcome}). */
	public enum QueueOutcome {

		/** The chat went to the chosen agent. */
		ASSIGNED,

		/** The chosen admin took the chat over. */
		TAKEN_OVER,

		/** The choice could not be applied: the form is shown again with an error. */
		INVALID

	}

	/**
	 * The variables. Those the lifecycle reads in its expressions are transient: they steer the
	 * transaction that sets them and are never written to the database, which keeps a chat's
	 * instance cheap. The escalation form's are kept while the task waits.
	 */
	public static final class Variables {

		/** Start: the company, read by the tenant id provider. */
		public static final ProcessVariable<String> COMPANY_ID = ProcessVariable.text("companyId").transientValue();

		/** Start: whether to wait for the Auto-Menu selection. */
		public static final ProcessVariable<Boolean> AUTO_MENU_ENABLED = ProcessVariable.bool("autoMenuEnabled")
			.transientValue()
			.readByDiagram();

		/** Start: the menu timeout in minutes. */
		public static final ProcessVariable<Integer> MENU_TIMEOUT_MINUTES = ProcessVariable.integer("menuTimeoutMinutes")
			.transientValue()
			.readByDiagram();

		/** Start and inactivity check: when the next inactivity check is due. */
		public static final ProcessVariable<Date> INACTIVITY_DUE_AT = ProcessVariable.date("inactivityDueAt")
			.transientValue()
			.readByDiagram();

		/** Inactivity check: whether the chat has been inactive long enough to close. */
		public static final ProcessVariable<Boolean> INACTIVE = ProcessVariable.bool("inactive")
			.transientValue()
			.readByDiagram();

		/**
		 * Assignment: until when the chat waits for its preferred agent (set at its first look,
		 * kept while it waits again; the timer "Preferred agent not free in time" reads it).
		 */
		public static final ProcessVariable<Date> PREFERRED_WAIT_UNTIL = ProcessVariable.date("preferredWaitUntil")
			.readByDiagram();

		/** Assignment: ASSIGNED, NO_AGENT, PENDING or WAIT_FOR_PREFERRED (QUEUED is never set). */
		public static final ProcessVariable<ChatRouting.Outcome> ROUTING_OUTCOME = ProcessVariable
			.constant("routingOutcome", ChatRouting.Outcome.class)
			.transientValue()
			.readByDiagram();

		/** Enqueue: the chat's 1-based queue position. */
		public static final ProcessVariable<Integer> QUEUE_POSITION = ProcessVariable.integer("queuePosition")
			.transientValue();

		/** Enqueue: why the chat waits (NO_AGENT_AVAILABLE or OUTSIDE_BUSINESS_HOURS). */
		public static final ProcessVariable<QueueReason> QUEUE_REASON = ProcessVariable
			.constant("queueReason", QueueReason.class)
			.transientValue();

		/** Enqueue outside business hours: when the team opens (absent when not within a year). */
		public static final ProcessVariable<Date> OPENS_AT = ProcessVariable.date("opensAt").transientValue();

		/** Enqueue: how long the chat may wait before an admin is asked (an ISO-8601 duration). */
		public static final ProcessVariable<String> QUEUE_ESCALATION_AFTER = ProcessVariable
			.text("queueEscalationAfter")
			.transientValue()
			.readByDiagram();

		/** Escalation: whether to ask an admin. */
		public static final ProcessVariable<Boolean> ESCALATE = ProcessVariable.bool("escalate")
			.transientValue()
			.readByDiagram();

		/** Escalation: what the admin's choice came to. */
		public static final ProcessVariable<QueueOutcome> QUEUE_OUTCOME = ProcessVariable
			.constant("queueOutcome", QueueOutcome.class)
			.transientValue()
			.readByDiagram();

		/** Start: whether the reply watch starts (no-reply reassignment is on). */
		public static final ProcessVariable<Boolean> NO_REPLY_WATCHED = ProcessVariable.bool("noReplyWatched")
			.transientValue()
			.readByDiagram();

		/** No-reply check: whether to go on watching the member's wait for an answer. */
		public static final ProcessVariable<Boolean> WATCH_REPLIES = ProcessVariable.bool("watchReplies")
			.transientValue()
			.readByDiagram();

		/** No-reply check: when the member's wait runs out, or the next look. */
		public static final ProcessVariable<Date> NO_REPLY_CHECK_AT = ProcessVariable.date("noReplyCheckAt")
			.transientValue()
			.readByDiagram();

		/** No reply: how often the chat was passed on because its member got no answer. */
		public static final ProcessVariable<Integer> NO_REPLY_REASSIGNMENTS = ProcessVariable
			.integer("noReplyReassignments");

		/** No reply: the agents who let the member wait too long, comma-separated (never chosen again). */
		public static final ProcessVariable<String> NO_REPLY_MISSED_BY = ProcessVariable.text("noReplyMissedBy");

		/** No reply: the clock started again here (nobody else could take the chat when it ran out). */
		public static final ProcessVariable<Date> NO_REPLY_CLOCK_FROM = ProcessVariable.date("noReplyClockFrom");

		/** No reply: the wait (its start) for which the admins were asked already. */
		public static final ProcessVariable<Date> NO_REPLY_ESCALATED_FOR = ProcessVariable.date("noReplyEscalatedFor");

		/** Takeover: the admin taking the chat over (also the escalation form's admin choice). */
		public static final ProcessVariable<String> ADMIN_ID = ProcessVariable.text("adminId").transientValue();

		/**
		 * Re-routing (with the ChatUnassigned message): why the chat leaves its agent
		 * (AGENT_OFFLINE when absent).
		 */
		public static final ProcessVariable<UnassignReason> UNASSIGN_REASON = ProcessVariable
			.constant("unassignReason", UnassignReason.class)
			.transientValue();

		/** Escalation form: assign ({@link #DECISION_ASSIGN}) or take over ({@link #DECISION_TAKEOVER}). */
		public static final ProcessVariable<String> DECISION = ProcessVariable.text("decision");

		/** Escalation form: the chosen agent. */
		public static final ProcessVariable<String> CHOSEN_AGENT = ProcessVariable.text("agentId");

		/** Escalation form: the chosen admin. */
		public static final ProcessVariable<String> CHOSEN_ADMIN = ProcessVariable.text("adminId");

		/** Escalation form: why the last choice could not be applied. */
		public static final ProcessVariable<String> CHOICE_ERROR = ProcessVariable.text("choiceError");

		/** Escalation form: what it shows of the chat. */
		public static final ProcessVariable<String> CHAT_ID = ProcessVariable.text("chatId");

		public static final ProcessVariable<String> MEMBER_NAME = ProcessVariable.text("memberName");

		public static final ProcessVariable<String> LAST_MESSAGE = ProcessVariable.text("lastMessage");

		public static final ProcessVariable<String> QUEUED_SINCE = ProcessVariable.text("queuedSince");

		public static final ProcessVariable<Long> WAITING_MINUTES = ProcessVariable.longInteger("waitingMinutes");

		/** Escalation form: its option lists, as JSON ({@code [{label, value}]}). */
		public static final ProcessVariable<String> ELIGIBLE_AGENTS = ProcessVariable.json("eligibleAgents");

		public static final ProcessVariable<String> COMPANY_ADMINS = ProcessVariable.json("companyAdmins");

		private Variables() {
		}

	}

	/** What the code binds to in the diagram, checked before it is deployed. */
	static final ProcessBinding BINDING = ProcessBinding.of(KEY, "processes/chat-lifecycle.bpmn", Element.class,
			Set.of(Messages.MENU_SELECTED, Messages.DEQUEUED, Messages.UNASSIGNED, Messages.AUTO_ASSIGN_RESUMED,
					Messages.ADMIN_TAKEOVER, Messages.CLOSE, Messages.PREFERRED_AGENT_FREE),
			Variables.AUTO_MENU_ENABLED, Variables.MENU_TIMEOUT_MINUTES, Variables.INACTIVITY_DUE_AT,
			Variables.INACTIVE, Variables.ROUTING_OUTCOME, Variables.QUEUE_ESCALATION_AFTER, Variables.ESCALATE,
			Variables.QUEUE_OUTCOME, Variables.WATCH_REPLIES, Variables.NO_REPLY_CHECK_AT, Variables.NO_REPLY_WATCHED,
			Variables.PREFERRED_WAIT_UNTIL);

}
