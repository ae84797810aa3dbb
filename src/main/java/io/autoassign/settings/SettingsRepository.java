package io.autoassign.settings;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code aa_company} table: one row per company holding its configuration.
 */
@Repository
class SettingsRepository {

	private static final String COLUMNS = "enabled, strategy, unlimited_chats_per_agent, max_chats_per_agent, "
			+ "auto_reassign_on_offline, offline_grace_period_minutes, group_based_assignment, "
			+ "rebalance_on_agent_online, chat_idle_threshold_minutes, auto_close_enabled, "
			+ "inactivity_threshold_minutes, auto_menu_enabled, menu_timeout_minutes, queue_escalation_enabled, "
			+ "queue_escalation_minutes, business_hours_enabled, time_zone, weekly_hours, holidays, "
			+ "no_reply_reassign_enabled, no_reply_minutes, max_no_reply_reassignments, "
			+ "queue_aging_minutes, sticky_agent_enabled, sticky_window_days, preferred_agent_wait_seconds";

	private final JdbcTemplate jdbc;

	SettingsRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Optional<AutoAssignConfig> find(String companyId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_company where company_id = ?", SettingsRepository::map,
				companyId).stream().findFirst();
	}

	Optional<AutoAssignConfig> findForUpdate(String companyId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_company where company_id = ? for update",
				SettingsRepository::map, companyId).stream().findFirst();
	}

	boolean exists(String companyId) {
		return !this.jdbc.queryForList("select 1 from aa_company where company_id = ?", companyId).isEmpty();
	}

	List<String> companyIds() {
		return this.jdbc.queryForList("select company_id from aa_company order by company_id", String.class);
	}

	void insert(String companyId, AutoAssignConfig config, Instant now) {
		this.jdbc.update("insert into aa_company (company_id, " + COLUMNS + ", created_at, updated_at) "
				+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", companyId, config.enabled(),
				config.strategy().value(), config.unlimitedChatsPerAgent(), config.maxChatsPerAgent(),
				config.autoReassignOnOffline(), config.offlineGracePeriodMinutes(), config.groupBasedAssignment(),
				config.rebalanceOnAgentOnline(), config.chatIdleThresholdMinutes(), config.autoCloseEnabled(),
				config.inactivityThresholdMinutes(), config.autoMenuEnabled(), config.menuTimeoutMinutes(),
				config.queueEscalationEnabled(), config.queueEscalationMinutes(), config.businessHoursEnabled(),
				config.timeZone(), WeeklyHours.textOf(config.weeklyHours()), datesText(config.holidays()),
				config.noReplyReassignEnabled(), config.noReplyMinutes(), config.maxNoReplyReassignments(),
				config.queueAgingMinutes(), config.stickyAgentEnabled(), config.stickyWindowDays(),
				config.preferredAgentWaitSeconds(), Timestamp.from(now), Timestamp.from(now));
	}

	void update(String companyId, AutoAssignConfig config, Instant now) {
		this.jdbc.update("update aa_company set enabled = ?, strategy = ?, unlimited_chats_per_agent = ?, "
				+ "max_chats_per_agent = ?, auto_reassign_on_offline = ?, offline_grace_period_minutes = ?, "
				+ "group_based_assignment = ?, rebalance_on_agent_online = ?, chat_idle_threshold_minutes = ?, "
				+ "auto_close_enabled = ?, inactivity_threshold_minutes = ?, auto_menu_enabled = ?, "
				+ "menu_timeout_minutes = ?, queue_escalation_enabled = ?, queue_escalation_minutes = ?, "
				+ "business_hours_enabled = ?, time_zone = ?, weekly_hours = ?, holidays = ?, "
				+ "no_reply_reassign_enabled = ?, no_reply_minutes = ?, max_no_reply_reassignments = ?, queue_aging_minutes = ?, "
				+ "sticky_agent_enabled = ?, sticky_window_days = ?, preferred_agent_wait_seconds = ?, "
				+ "updated_at = ? "
				+ "where company_id = ?", config.enabled(),
				config.strategy().value(), config.unlimitedChatsPerAgent(), config.maxChatsPerAgent(),
				config.autoReassignOnOffline(), config.offlineGracePeriodMinutes(), config.groupBasedAssignment(),
				config.rebalanceOnAgentOnline(), config.chatIdleThresholdMinutes(), config.autoCloseEnabled(),
				config.inactivityThresholdMinutes(), config.autoMenuEnabled(), config.menuTimeoutMinutes(),
				config.queueEscalationEnabled(), config.queueEscalationMinutes(), config.businessHoursEnabled(),
				config.timeZone(), WeeklyHours.textOf(config.weeklyHours()), datesText(config.holidays()),
				config.noReplyReassignEnabled(), config.noReplyMinutes(), config.maxNoReplyReassignments(),
				config.queueAgingMinutes(), config.stickyAgentEnabled(), config.stickyWindowDays(),
				config.preferredAgentWaitSeconds(), Timestamp.from(now), companyId);
	}

	private static AutoAssignConfig map(ResultSet rs, int row) throws SQLException {
		return new AutoAssignConfig(rs.getBoolean("enabled"), Strategy.fromValue(rs.getString("strategy")).orElseThrow(),
				rs.getBoolean("unlimited_chats_per_agent"), rs.getInt("max_chats_per_agent"),
				rs.getBoolean("auto_reassign_on_offline"), rs.getInt("offline_grace_period_minutes"),
				rs.getBoolean("group_based_assignment"), rs.getBoolean("rebalance_on_agent_online"),
				rs.getInt("chat_idle_threshold_minutes"), rs.getBoolean("auto_close_enabled"),
				rs.getInt("inactivity_threshold_minutes"), rs.getBoolean("auto_menu_enabled"),
				rs.getInt("menu_timeout_minutes"), rs.getBoolean("queue_escalation_enabled"),
				rs.getInt("queue_escalation_minutes"), rs.getBoolean("business_hours_enabled"), rs.getString("time_zone"),
				WeeklyHours.parseAll(rs.getString("weekly_hours")), dates(rs.getString("holidays")),
				rs.getBoolean("no_reply_reassign_enabled"), rs.getInt("no_reply_minutes"),
				rs.getInt("max_no_reply_reassignments"), rs.getInt("queue_aging_minutes"),
				rs.getBoolean("sticky_agent_enabled"), rs.getInt("sticky_window_days"),
				rs.getInt("preferred_agent_wait_seconds"));
	}

	private static String datesText(List<LocalDate> dates) {
		return String.join(",", dates.stream().map(LocalDate::toString).toList());
	}

	private static List<LocalDate> dates(String text) {
		return text == null || text.isBlank() ? List.of()
				: Arrays.stream(text.split(",")).map(String::strip).map(LocalDate::parse).toList();
	}

}
