package io.autoassign.lifecycle;

import java.util.Set;

/**
 * What binds {@code processes/agent-rebalance.bpmn}: an instance per agent that came online
 * (business key = agent id, tenant id = company id), which moves idle chats to it.
 */
public final class RebalanceProcess {

	public static final String KEY = "agent-rebalance";

	private RebalanceProcess() {
	}

	/** The diagram's element ids. */
	public enum Element {

		StartEvent_AgentOnline, Task_Rebalance, EndEvent_Rebalanced

	}

	/** The variables (transient: they steer the start's transaction only). */
	public static final class Variables {

		/** The company, read by the tenant id provider. */
		public static final ProcessVariable<String> COMPANY_ID = ProcessVariable.text("companyId").transientValue();

		private Variables() {
		}

	}

	static final ProcessBinding BINDING = ProcessBinding.of(KEY, "processes/agent-rebalance.bpmn", Element.class,
			Set.of());

}
