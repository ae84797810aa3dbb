package io.autoassign.assignment;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.CloseReason;
import io.autoassign.chat.Priority;
import io.autoassign.chat.WaitingFor;
import io.autoassign.platform.Database;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The routing columns of {@code aa_chat} and {@code aa_agent}: the row writers of a chat's change
 * of hands, which only {@link Placements} calls (each bumps the chat's event sequence, so that
 * no such change can be written without its events), and the narrow reads that rebuilding and
 * reconciling need (no message texts, no history scans).
 */
@Repository
class RoutingRows {

	private final JdbcTemplate jdbc;

	private final ChatStore chats;

	private final boolean postgres;

	private final Clock clock;

	RoutingRows(JdbcTemplate jdbc, ChatStore chats, Database database, Clock clock) {
		this.jdbc = jdbc;
		this.chats = chats;
		this.clock = clock;
		this.postgres = database.isPostgres();
	}

	/** An open chat that routing state covers, with only the columns routing needs. */
	record Routed(String chatId, AssignmentStatus status, String agentId, Long queueSeq, String pool) {
	}

	/** Marks the chat ASSIGNED to the agent; returns its new event sequence number. */
	long markAssigned(String companyId, String chatId, String agentId, Instant now) {
		return transition(companyId, chatId, now,
				"assignment_status = 'ASSIGNED', waiting_for = null, assigned_agent_id = ?, assigned_at = ?, "
						+ "queued_at = null, queue_seq = null, queue_pool = null",
				agentId, ts(now));
	}

	/**
	 * Marks the chat QUEUED at {@code queuedAt} ({@code null}: it was queued already and keeps its
	 * time); returns its new event sequence number.
	 */
	long markQueued(String companyId, String chatId, long queueSeq, String pool, Instant queuedAt) {
		return transition(companyId, chatId, this.clock.instant(),
				"assignment_status = 'QUEUED', waiting_for = null, assigned_agent_id = null, "
						+ "queued_at = coalesce(?, queued_at), aging_since = coalesce(?, aging_since), queue_seq = ?, "
						+ "queue_pool = ?",
				queuedAt == null ? null : ts(queuedAt), queuedAt == null ? null : ts(queuedAt), queueSeq, pool);
	}

	/** Marks the chat PENDING; returns its new event sequence number. */
	long markPending(String companyId, String chatId, WaitingFor waitingFor) {
		return transition(companyId, chatId, this.clock.instant(),
				"assignment_status = 'PENDING', waiting_for = ?, assigned_agent_id = null, queued_at = null, "
						+ "queue_seq = null, queue_pool = null",
				waitingFor == null ? null : waitingFor.name());
	}

	/** Marks the chat TAKEN_OVER by the admin; returns its new event sequence number. */
	long markTakenOver(String companyId, String chatId, String adminId, Instant now) {
		return transition(companyId, chatId, now,
				"assignment_status = 'TAKEN_OVER', waiting_for = null, assigned_agent_id = ?, assigned_at = ?, "
						+ "queued_at = null, queue_seq = null, queue_pool = null",
				adminId, ts(now));
	}

	/**
	 * Sets the chat's priority and, when queued, its new rank; returns its new event sequence
	 * number.
	 */
	long markPriority(String companyId, String chatId, Priority priority, Long queueSeq, Instant agingSince,
			Instant now) {
		return transition(companyId, chatId, now,
				"priority = ?, queue_seq = coalesce(?, queue_seq), aging_since = ?", priority.name(), queueSeq,
				ts(agingSince));
	}

	/** Marks the chat CLOSED; returns its new event sequence number. */
	long markClosed(String companyId, String chatId, CloseReason reason, Instant now) {
		return transition(companyId, chatId, now,
				"status = 'CLOSED', waiting_for = null, closed_at = ?, close_reason = ?, queued_at = null, "
						+ "queue_seq = null, queue_pool = null",
				ts(now), reason.name());
	}

	private static final String ROUTED = "select chat_id, assignment_status, assigned_agent_id, queue_seq, queue_pool "
			+ "from aa_chat where company_id = ? and status = 'OPEN' and assignment_status in ('ASSIGNED', 'QUEUED')";

	/** Every open ASSIGNED or QUEUED chat of the company, in creation order. */
	List<Routed> routed(String companyId) {
		return this.jdbc.query(ROUTED + " order by seq", RoutingRows::mapRouted, companyId);
	}

	/** The same as {@link #routed}, in no particular order (no sort: for a comparison). */
	List<Routed> routedInAnyOrder(String companyId) {
		return this.jdbc.query(ROUTED, RoutingRows::mapRouted, companyId);
	}

	/** Which of the chats exist (open or closed). */
	List<String> existing(String companyId, java.util.Collection<String> chatIds) {
		return this.chats.byIds(companyId, chatIds).stream().map(io.autoassign.chat.Chat::chatId).toList();
	}


	/** The company's open chats counted: ASSIGNED per agent, and QUEUED. */
	record Counts(Map<String, Integer> assigned, int queued) {

		int assignedTotal() {
			return this.assigned.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

	Counts counts(String companyId) {
		Map<String, Integer> assigned = new HashMap<>();
		int[] queued = { 0 };
		this.jdbc.query("select assignment_status, assigned_agent_id, count(*) from aa_chat where company_id = ? "
				+ "and status = 'OPEN' and assignment_status in ('ASSIGNED', 'QUEUED') "
				+ "group by assignment_status, assigned_agent_id", (rs) -> {
					if ("QUEUED".equals(rs.getString(1))) {
						queued[0] += rs.getInt(3);
					}
					else if (rs.getString(2) != null) {
						assigned.put(rs.getString(2), rs.getInt(3));
					}
				}, companyId);
		return new Counts(assigned, queued[0]);
	}

	/**
	 * When each agent of the company was last given a chat: the later of what the reconciler
	 * last recorded and the assignments of the chats still open (over the open-chat index).
	 */
	Map<String, Instant> lastAssigned(String companyId) {
		Map<String, Instant> last = new HashMap<>();
		this.jdbc.query("select agent_id, last_assigned_at from aa_agent where company_id = ? "
				+ "and last_assigned_at is not null", (rs) -> {
					last.put(rs.getString(1), rs.getTimestamp(2).toInstant());
				}, companyId);
		this.jdbc.query("select assigned_agent_id, max(assigned_at) from aa_chat where company_id = ? and status = 'OPEN' "
				+ "and assigned_agent_id is not null group by assigned_agent_id", (rs) -> {
					Timestamp at = rs.getTimestamp(2);
					if (at != null) {
						last.merge(rs.getString(1), at.toInstant(), (a, b) -> a.isAfter(b) ? a : b);
					}
				}, companyId);
		return last;
	}

	/** Records when an agent was last given a chat, unless a later time is recorded already. */
	int recordLastAssigned(String companyId, String agentId, Instant at) {
		return this.jdbc.update("update aa_agent set last_assigned_at = ? where company_id = ? and agent_id = ? "
				+ "and (last_assigned_at is null or last_assigned_at < ?)", ts(at), companyId, agentId, ts(at));
	}

	/**
	 * Sets {@code assignments} on one chat, increments its event sequence, stamps {@code updated_at}
	 * and returns the new sequence (RETURNING on PostgreSQL, a data change delta table on H2).
	 */
	private long transition(String companyId, String chatId, Instant now, String assignments, Object... values) {
		this.chats.changed(companyId, chatId);
		String update = "update aa_chat set " + assignments + ", event_seq = event_seq + 1, updated_at = ? "
				+ "where company_id = ? and chat_id = ?";
		String sql = this.postgres ? update + " returning event_seq" : "select event_seq from final table (" + update + ")";
		Object[] args = java.util.Arrays.copyOf(values, values.length + 3);
		args[values.length] = ts(now);
		args[values.length + 1] = companyId;
		args[values.length + 2] = chatId;
		Long seq = this.jdbc.queryForObject(sql, Long.class, args);
		if (seq == null) {
			throw new IllegalStateException("No chat matched " + companyId + "/" + chatId);
		}
		return seq;
	}

	private static Routed mapRouted(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		long seq = rs.getLong(4);
		Long queueSeq = rs.wasNull() ? null : seq;
		return new Routed(rs.getString(1), AssignmentStatus.valueOf(rs.getString(2)), rs.getString(3), queueSeq,
				rs.getString(5));
	}

	private static Timestamp ts(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

}
