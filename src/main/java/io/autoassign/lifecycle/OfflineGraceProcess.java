package io.autoassign.lifecycle;

import java.util.Set;

/**
 * What binds {@code processes/agent-offline-grace.bpmn}: an instance per agent that went
 * OFFLINE (business key = agent id, tenant id = company id), which re-routes its chats when the
 * grace period ends unless the agent is back first.
 */
public final class OfflineGraceProcess {

	public static final String KEY = "agent-offline-grace";

	/** Cancels the grace period: the agent is ACTIVE again. */
	public static final String MESSAGE_BACK_ONLINE = "AgentBackOnline";

	private OfflineGraceProcess() {
	}

	/** The diagram's element ids. */
	public enum Element {

		StartEvent_AgentOffline, Gateway_Grace, Gateway_WaitGrace, Timer_GracePeriod, Event_BackOnline,
		EndEvent_Cancelled, Gateway_Reassign, Task_ReassignChats, EndEvent_Reassigned

	}

	/** The variables (transient: they steer the start's transaction only). */
	public static final class Variables {

		/** The company, read by the tenant id provider. */
		public static final ProcessVariable<String> COMPANY_ID = ProcessVariable.text("companyId").transientValue();

		/** The grace period in minutes (0: re-route at once). */
		public static final ProcessVariable<Integer> GRACE_PERIOD_MINUTES = ProcessVariable
			.integer("gracePeriodMinutes")
			.transientValue()
			.readByDiagram();

		private Variables() {
		}

	}

	static final ProcessBinding BINDING = ProcessBinding.of(KEY, "processes/agent-offline-grace.bpmn",
			Element.class, Set.of(MESSAGE_BACK_ONLINE), Variables.GRACE_PERIOD_MINUTES);

}
