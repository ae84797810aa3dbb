package io.autoassign.lifecycle;

/**
 * What binds {@code processes/chat-lifecycle.bpmn}: its key, element ids, messages and
 * variables. An instance per chat: business key = chat id, tenant id = company id.
 */
public final class ChatLifecycleProcess {

	public static final String KEY = "chat-lifecycle";

	private ChatLifecycleProcess() {
	}

	/** Element ids of the diagram (a test checks that each exists). */
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
		StartEvent_CloseRequested, Task_CloseChat, EndEvent_Closed

	}

	/** Message names the lifecycle waits for. */
	public static final class Messages {

		public static final String MENU_SELECTED = "ChatMenuSelected";

		public static final String DEQUEUED = "ChatDequeued";

		public static final String UNASSIGNED = "ChatUnassigned";

		public static final String AUTO_ASSIGN_RESUMED = "AutoAssignResumed";

		public static final String ADMIN_TAKEOVER = "AdminTakeover";

		public static final String CLOSE = "CloseChat";

		private Messages() {
		}

	}

	/**
	 * Variable names. All are transient: they steer the transaction that sets them and are
	 * never written to the database, which keeps a chat's instance cheap.
	 */
	public static final class Variables {

		/** Start: the company, read by the tenant id provider. */
		public static final String COMPANY_ID = "companyId";

		/** Start: whether to wait for the Auto-Menu selection. */
		public static final String AUTO_MENU_ENABLED = "autoMenuEnabled";

		/** Start: the menu timeout in minutes. */
		public static final String MENU_TIMEOUT_MINUTES = "menuTimeoutMinutes";

		/** Start and inactivity check: when the next inactivity check is due (a Date). */
		public static final String INACTIVITY_DUE_AT = "inactivityDueAt";

		/** Inactivity check: whether the chat has been inactive long enough to close. */
		public static final String INACTIVE = "inactive";

		/** Assignment: ASSIGNED, NO_AGENT or PENDING. */
		public static final String ROUTING_OUTCOME = "routingOutcome";

		/** Enqueue: the chat's 1-based queue position. */
		public static final String QUEUE_POSITION = "queuePosition";

		/** Enqueue: how long the chat may wait before an admin is asked (an ISO-8601 duration). */
		public static final String QUEUE_ESCALATION_AFTER = "queueEscalationAfter";

		/** Escalation: whether to ask an admin. */
		public static final String ESCALATE = "escalate";

		/** Escalation: ASSIGNED, TAKEN_OVER or INVALID. */
		public static final String QUEUE_OUTCOME = "queueOutcome";

		/** Takeover: the admin taking the chat over. */
		public static final String ADMIN_ID = "adminId";

		/**
		 * Re-routing (transient, with the ChatUnassigned message): why the chat leaves its agent,
		 * an {@code UnassignReason} name (AGENT_OFFLINE when absent).
		 */
		public static final String UNASSIGN_REASON = "unassignReason";

		private Variables() {
		}

	}

}
