package io.autoassign.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.bench.AppNode;

/**
 * Direct reads (and the few writes that stand in for elapsed time) on the database the nodes
 * share: the final state of every chat, the engine's jobs.
 */
final class Store {

	/** The backend of the session that holds rows ({@link #holdRows}), 0 while none does. */
	private volatile int holderPid;


	/** A chat as its row holds it. */
	record ChatRow(String chatId, String status, String assignmentStatus, String agentId, String closeReason) {

		boolean open() {
			return "OPEN".equals(this.status);
		}

	}

	/** A job of the engine: due date and lock, as the job executors see them. */
	record JobRow(String id, String type, String handler, java.sql.Timestamp due, String lockOwner,
			java.sql.Timestamp lockExpires, int retries) {
	}

	private final String url;

	Store(String database) {
		this.url = AppNode.PG + database;
	}

	/** The company's webhook deliveries by status. */
	Map<String, Integer> deliveriesByStatus(String companyId) {
		Map<String, Integer> counts = new HashMap<>();
		query("select status, count(*) from aa_webhook_delivery where company_id = ? group by status", List.of(companyId),
				(rs) -> counts.put(rs.getString(1), rs.getInt(2)));
		return counts;
	}

	/** The company's deliveries not yet acknowledged, each as a line (for the verdict's log). */
	List<String> pendingDeliveries(String companyId) {
		List<String> lines = new ArrayList<>();
		query("select id, event_type, order_key, attempts, created_at, next_attempt_at, lease_until, last_error, "
				+ "now() from aa_webhook_delivery where company_id = ? and status = 'PENDING' order by id", List.of(companyId),
				(rs) -> lines.add("delivery " + rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " attempts "
						+ rs.getInt(4) + " created " + rs.getTimestamp(5) + " next " + rs.getTimestamp(6) + " lease "
						+ rs.getTimestamp(7) + " error " + rs.getString(8) + " (now " + rs.getTimestamp(9) + ")"));
		return lines;
	}

	/** The event ids of the company's webhook deliveries. */
	Set<String> deliveredEventIds(String companyId) {
		Set<String> ids = new HashSet<>();
		query("select event_id from aa_webhook_delivery where company_id = ?", List.of(companyId),
				(rs) -> ids.add(rs.getString(1)));
		return ids;
	}

	/** The ids of the company's deliveries under a lease now (claimed by a node, not yet recorded). */
	Set<Long> leasedDeliveries(String companyId) {
		Set<Long> ids = new HashSet<>();
		query("select id from aa_webhook_delivery where company_id = ? and status = 'PENDING' and lease_until > now()",
				List.of(companyId), (rs) -> ids.add(rs.getLong(1)));
		return ids;
	}

	/** Of the deliveries {@code ids}, those DELIVERED after more than one attempt. */
	Set<Long> deliveredAgain(Collection<Long> ids) {
		Set<Long> again = new HashSet<>();
		if (ids.isEmpty()) {
			return again;
		}
		query("select id from aa_webhook_delivery where status = 'DELIVERED' and attempts > 1 and id in ("
				+ String.join(",", ids.stream().map(String::valueOf).toList()) + ")", List.of(),
				(rs) -> again.add(rs.getLong(1)));
		return again;
	}

	Map<String, ChatRow> chats(String companyId) {
		Map<String, ChatRow> rows = new HashMap<>();
		query("select chat_id, status, assignment_status, assigned_agent_id, close_reason from aa_chat where company_id = ?",
				List.of(companyId), (rs) -> rows.put(rs.getString(1),
						new ChatRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))));
		return rows;
	}

	/** Rows per chat id of the company (the primary key says one; this counts). */
	Map<String, Integer> rowsPerChat(String companyId) {
		Map<String, Integer> counts = new HashMap<>();
		query("select chat_id, count(*) from aa_chat where company_id = ? group by chat_id", List.of(companyId),
				(rs) -> counts.put(rs.getString(1), rs.getInt(2)));
		return counts;
	}

	Set<String> assignedTo(String companyId, String agentId) {
		Set<String> chats = new HashSet<>();
		query("select chat_id from aa_chat where company_id = ? and assigned_agent_id = ? and status = 'OPEN' "
				+ "and assignment_status = 'ASSIGNED'", List.of(companyId, agentId), (rs) -> chats.add(rs.getString(1)));
		return chats;
	}

	List<JobRow> jobs() {
		List<JobRow> jobs = new ArrayList<>();
		query("select id_, type_, handler_type_, duedate_, lock_owner_, lock_exp_time_, retries_ from act_ru_job",
				List.of(), (rs) -> jobs.add(new JobRow(rs.getString(1), rs.getString(2), rs.getString(3),
						rs.getTimestamp(4), rs.getString(5), rs.getTimestamp(6), rs.getInt(7))));
		return jobs;
	}

	/**
	 * Jobs that should have run by now and did not: due more than {@code graceSeconds} ago and
	 * not locked, or locked under a lock that expired more than {@code graceSeconds} ago.
	 */
	List<JobRow> overdueJobs(int graceSeconds) {
		List<JobRow> jobs = new ArrayList<>();
		query("select id_, type_, handler_type_, duedate_, lock_owner_, lock_exp_time_, retries_ from act_ru_job "
				+ "where retries_ > 0 and suspension_state_ = 1 and ((lock_exp_time_ is null and (duedate_ is null or duedate_ < now() - make_interval(secs => ?))) "
				+ "or lock_exp_time_ < now() - make_interval(secs => ?))",
				List.of(graceSeconds, graceSeconds), (rs) -> jobs.add(new JobRow(rs.getString(1), rs.getString(2),
						rs.getString(3), rs.getTimestamp(4), rs.getString(5), rs.getTimestamp(6), rs.getInt(7))));
		return jobs;
	}

	/** Open ASSIGNED chats per agent. */
	Map<String, Integer> loads(String companyId) {
		Map<String, Integer> loads = new HashMap<>();
		query("select assigned_agent_id, count(*) from aa_chat where company_id = ? and status = 'OPEN' "
				+ "and assignment_status = 'ASSIGNED' group by assigned_agent_id", List.of(companyId),
				(rs) -> loads.put(rs.getString(1), rs.getInt(2)));
		return loads;
	}

	/** Stands in for half an hour of silence: the chats' last activity moves 31 minutes back. */
	void backdateActivity(String companyId, Collection<String> chatIds) {
		update("update aa_chat set last_activity_at = now() - interval '31 minutes' where company_id = "
				+ literal(companyId) + " and chat_id in (" + literals(chatIds) + ")");
	}

	/**
	 * Stands in for elapsed time: the timers at {@code timerId} of the chats' lifecycles fall due
	 * now. Answers how many were moved.
	 */
	int makeChatTimersDue(String companyId, Collection<String> chatIds, String timerId) {
		return update("update act_ru_job j set duedate_ = now() from aa_chat c, act_ru_jobdef d where c.company_id = "
				+ literal(companyId) + " and c.chat_id in (" + literals(chatIds) + ") "
				+ "and j.process_instance_id_ = c.process_instance_id and j.job_def_id_ = d.id_ and d.act_id_ = "
				+ literal(timerId) + " and j.lock_owner_ is null");
	}

	/** Stands in for elapsed time: the agents' offline grace timers fall due now. Answers how many were moved. */
	int makeGraceTimersDue(String companyId, Collection<String> agentIds) {
		return update("update act_ru_job j set duedate_ = now() from aa_agent a, act_ru_jobdef d where a.company_id = "
				+ literal(companyId) + " and a.agent_id in (" + literals(agentIds) + ") "
				+ "and j.process_instance_id_ = a.offline_process_id and j.job_def_id_ = d.id_ "
				+ "and d.act_id_ = 'Timer_GracePeriod' and j.lock_owner_ is null");
	}

	/** The agent's running offline-grace process, null when none runs. */
	String offlineProcess(String companyId, String agentId) {
		List<String> found = new ArrayList<>();
		query("select offline_process_id from aa_agent where company_id = ? and agent_id = ?", List.of(companyId, agentId),
				(rs) -> found.add(rs.getString(1)));
		return found.isEmpty() ? null : found.get(0);
	}

	/**
	 * Database sessions waiting on the rows {@link #holdRows} holds, by application name (each
	 * node names its connections). Only waits that the holding session blocks count: another
	 * transaction's row lock (an agent's row, another chat) is not a wait on the held rows.
	 */
	Map<String, Integer> waitingOnLocks() {
		Map<String, Integer> waiting = new HashMap<>();
		int holder = this.holderPid;
		if (holder == 0) {
			return waiting;
		}
		query("select application_name, count(*) from pg_stat_activity where datname = current_database() "
				+ "and wait_event_type = 'Lock' and ? = any(pg_blocking_pids(pid)) group by application_name",
				List.of(holder), (rs) -> waiting.put(rs.getString(1), rs.getInt(2)));
		return waiting;
	}

	/** Jobs of the chats' lifecycles at {@code timerId} and their lock owners (null: not locked). */
	Map<String, String> chatTimerLocks(String companyId, Collection<String> chatIds, String timerId) {
		Map<String, String> locks = new HashMap<>();
		query("select j.id_, j.lock_owner_ from act_ru_job j join aa_chat c on j.process_instance_id_ = c.process_instance_id "
				+ "join act_ru_jobdef d on j.job_def_id_ = d.id_ where c.company_id = ? and d.act_id_ = ? and c.chat_id in ("
				+ literals(chatIds) + ")", List.of(companyId, timerId),
				(rs) -> locks.put(rs.getString(1), rs.getString(2)));
		return locks;
	}

	/**
	 * Locks the chats' rows until closed, as a long transaction would: a job that needs one of
	 * them waits, holding its job lock, for as long as this is open.
	 */
	AutoCloseable holdRows(String companyId, Collection<String> chatIds) {
		try {
			Connection connection = DriverManager.getConnection(this.url, "postgres", "");
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				try (ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
					pid.next();
					this.holderPid = pid.getInt(1);
				}
				statement.executeQuery("select chat_id from aa_chat where company_id = " + literal(companyId)
						+ " and chat_id in (" + literals(chatIds) + ") for update").close();
			}
			return () -> {
				connection.rollback();
				connection.close();
				this.holderPid = 0;
			};
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private static String literal(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

	private static String literals(Collection<String> values) {
		return String.join(",", values.stream().map(Store::literal).toList());
	}

	private interface RowHandler {

		void row(ResultSet rs) throws SQLException;

	}

	private void query(String sql, List<Object> args, RowHandler handler) {
		try (Connection connection = DriverManager.getConnection(this.url, "postgres", "");
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < args.size(); i++) {
				statement.setObject(i + 1, args.get(i));
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					handler.row(rs);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	private int update(String sql) {
		try (Connection connection = DriverManager.getConnection(this.url, "postgres", "");
				Statement statement = connection.createStatement()) {
			return statement.executeUpdate(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

}
