package io.autoassign.lifecycle;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * The inputs a process designer sets on the Auto-Assign element templates
 * ({@code processes/.camunda/element-templates/auto-assign.json}): input parameters of the task,
 * hence local variables of its execution. Each constant names one.
 */
final class TemplateInputs {

	/** Assign by strategy: round_robin, least_busy or random instead of the company's strategy. */
	static final String STRATEGY = "strategy";

	/** Assign by strategy: {@code none} to ignore the chat's group. */
	static final String GROUP_FILTER = "groupFilter";

	/** Enqueue: {@code any} to queue for every agent instead of the chat's group. */
	static final String QUEUE_POOL = "queuePool";

	/** Publish event: the event type. */
	static final String EVENT_TYPE = "eventType";

	/** Close: CLOSED or INACTIVITY. */
	static final String CLOSE_REASON = "closeReason";

	/** Reassign / re-balance: the agent (default: the process's business key). */
	static final String AGENT_ID = "agentId";

	private TemplateInputs() {
	}

	/** The input's value, or {@code null} when the designer left it empty. */
	static String get(DelegateExecution execution, String name) {
		Object value = execution.getVariableLocal(name);
		return value == null || value.toString().isBlank() ? null : value.toString().trim();
	}

}
