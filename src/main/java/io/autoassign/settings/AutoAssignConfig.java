package io.autoassign.settings;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;

import io.autoassign.hours.OpeningHours;

/**
 * A company's auto-assign configuration: the document of {@code GET/PUT/PATCH
 * /api/v1/companies/{companyId}/auto-assign}. Ranges are enforced by {@link ConfigDocument}.
 * Additions to the contract: a chat queued for {@code queueEscalationMinutes} raises an admin
 * task in Tasklist when {@code queueEscalationEnabled}; with {@code businessHoursEnabled}, chats
 * are assigned only within {@code weeklyHours} (in {@code timeZone}, less {@code holidays}); with
 * {@code noReplyReassignEnabled}, a chat whose member waited {@code noReplyMinutes} for an answer
 * goes to another agent, at most {@code maxNoReplyReassignments} times; with {@code queueAgingMinutes}
 * above 0, a queued chat rises one priority level per that many minutes of waiting; with
 * {@code stickyAgentEnabled}, a member's new chat prefers the agent of its latest chat within
 * {@code stickyWindowDays}, and a chat whose preferred agent is busy waits for it up to
 * {@code preferredAgentWaitSeconds}.
 */
public record AutoAssignConfig(boolean enabled, Strategy strategy, boolean unlimitedChatsPerAgent,
		int maxChatsPerAgent, boolean autoReassignOnOffline, int offlineGracePeriodMinutes,
		boolean groupBasedAssignment, boolean rebalanceOnAgentOnline, int chatIdleThresholdMinutes,
		boolean autoCloseEnabled, int inactivityThresholdMinutes, boolean autoMenuEnabled, int menuTimeoutMinutes,
		boolean queueEscalationEnabled, int queueEscalationMinutes, boolean businessHoursEnabled, String timeZone,
		List<WeeklyHours> weeklyHours, List<LocalDate> holidays, boolean noReplyReassignEnabled, int noReplyMinutes,
		int maxNoReplyReassignments, int queueAgingMinutes, boolean stickyAgentEnabled, int stickyWindowDays,
		int preferredAgentWaitSeconds) {

	/** What a company has until it writes its configuration. */
	public static final AutoAssignConfig DEFAULTS = new AutoAssignConfig(true, Strategy.LEAST_BUSY, false, 5, true, 2,
			false, false, 10, false, 1440, false, 5, false, 10, false, "UTC", List.of(), List.of(), false, 5, 2, 0, false, 30, 0);

	public AutoAssignConfig {
		weeklyHours = List.copyOf(weeklyHours);
		holidays = List.copyOf(holidays);
	}

	/** The team's hours as a calculator (whether or not routing keeps to them). */
	public OpeningHours openingHours() {
		return new OpeningHours(ZoneId.of(this.timeZone), this.weeklyHours.stream().map(WeeklyHours::period).toList(),
				new HashSet<>(this.holidays));
	}

	/** Whether chats may be assigned at {@code instant}: always, unless business hours say otherwise. */
	public boolean openAt(Instant instant) {
		return !this.businessHoursEnabled || openingHours().isOpen(instant);
	}

	/** Whether the business hours differ from {@code other}'s (the opening timer must move). */
	public boolean hoursDifferFrom(AutoAssignConfig other) {
		return this.businessHoursEnabled != other.businessHoursEnabled || !this.timeZone.equals(other.timeZone)
				|| !this.weeklyHours.equals(other.weeklyHours) || !this.holidays.equals(other.holidays);
	}

	/** Whether queued chats rise in priority as they wait. */
	public boolean agingEnabled() {
		return this.queueAgingMinutes > 0;
	}

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
