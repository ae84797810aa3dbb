package io.autoassign.lifecycle;

/**
 * What binds the agent-level processes: {@code processes/agent-offline-grace.bpmn},
 * {@code processes/agent-rebalance.bpmn} (business key = agent id) and
 * {@code processes/queue-dispatch.bpmn} (business key = company id); tenant id = company id.
 */
public final class AgentProcesses {

	public static final String OFFLINE_GRACE_KEY = "agent-offline-grace";

	public static final String REBALANCE_KEY = "agent-rebalance";

	public static final String QUEUE_DISPATCH_KEY = "queue-dispatch";

	/** Cancels the offline grace period. */
	public static final String MESSAGE_BACK_ONLINE = "AgentBackOnline";

	/** Start of the grace process: the grace period in minutes (transient). */
	public static final String GRACE_PERIOD_MINUTES = "gracePeriodMinutes";

	/** Dispatch: whether another chunk follows (transient). */
	public static final String MORE_TO_DISPATCH = "moreToDispatch";

	private AgentProcesses() {
	}

}
