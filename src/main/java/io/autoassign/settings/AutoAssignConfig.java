package io.autoassign.settings;

/**
 * A company's auto-assign configuration: the document of {@code GET/PUT/PATCH
 * /api/v1/companies/{companyId}/auto-assign}. Ranges are enforced by {@link ConfigDocument}.
 * The last two fields are additions to the contract: a chat queued for
 * {@code queueEscalationMinutes} raises an admin task in Tasklist when
 * {@code queueEscalationEnabled}.
 */
public record AutoAssignConfig(boolean enabled, Strategy strategy, boolean unlimitedChatsPerAgent,
		int maxChatsPerAgent, boolean autoReassignOnOffline, int offlineGracePeriodMinutes,
		boolean groupBasedAssignment, boolean rebalanceOnAgentOnline, int chatIdleThresholdMinutes,
		boolean autoCloseEnabled, int inactivityThresholdMinutes, boolean autoMenuEnabled, int menuTimeoutMinutes,
		boolean queueEscalationEnabled, int queueEscalationMinutes) {

	/** What a company has until it writes its configuration. */
	public static final AutoAssignConfig DEFAULTS = new AutoAssignConfig(true, Strategy.LEAST_BUSY, false, 5, true, 2,
			false, false, 10, false, 1440, false, 5, false, 10);

	/** Capacity of one agent, or -1 when unlimited. */
	public int capacity() {
		return this.unlimitedChatsPerAgent ? -1 : this.maxChatsPerAgent;
	}

	/** Whether an agent may hold more chats under this configuration than under {@code before}. */
	public boolean raisesCapacityOver(AutoAssignConfig before) {
		int now = capacity();
		int was = before.capacity();
		return (now < 0 && was >= 0) || (now >= 0 && was >= 0 && now > was);
	}

}
