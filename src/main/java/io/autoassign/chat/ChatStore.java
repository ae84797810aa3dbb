package io.autoassign.chat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.autoassign.platform.Database;
import io.autoassign.platform.TransactionScoped;
import org.postgresql.PGStatement;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * The {@code aa_chat} table: the durable state of every chat, read and written by the REST
 * API and by the lifecycle's delegates. Every change of a chat's routing state happens while
 * its row is locked ({@link #lock}), which orders concurrent events for one chat.
 */
@Repository
public class ChatStore {

	private static final String COLUMNS = "company_id, chat_id, seq, status, assignment_status, waiting_for, "
			+ "assigned_agent_id, assigned_group_id, assigned_at, queued_at, queue_seq, queue_pool, member_id, "
			+ "member_name, last_message_sender, last_message_text, last_message_at, last_activity_at, created_at, "
			+ "closed_at, close_reason, close_detail, process_instance_id, event_seq, updated_at, member_waiting_since, "
			+ "priority, preferred_agent_id, preference";

	private static final String OPEN_QUEUED = "status = 'OPEN' and assignment_status = 'QUEUED'";

	private final JdbcTemplate jdbc;

	private final boolean postgres;

	private final WaitEstimates estimates;

	ChatStore(JdbcTemplate jdbc, Database database, WaitEstimates estimates) {
		this.jdbc = jdbc;
		this.estimates = estimates;
		this.postgres = database.isPostgres();
	}

	public Optional<Chat> find(String companyId, String chatId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and chat_id = ?",
				ChatStore::map, companyId, chatId).stream().findFirst();
	}

	/** The chat, locked until the current transaction ends. */
	public Optional<Chat> lock(String companyId, String chatId) {
		Locked known = TransactionScoped.find(Locked.class);
		Chat locked = known == null ? null : known.rows.get(key(companyId, chatId));
		if (locked != null) {
			// locked by this transaction and not changed since: known as it is
			return Optional.of(locked);
		}
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and chat_id = ? for update",
				ChatStore::map, companyId, chatId).stream().findFirst();
	}

	/**
	 * Inserts the chats that do not exist yet, in one statement; answers those inserted (each
	 * locked by this transaction until it ends). A chat another transaction is inserting at the
	 * same moment waits for it and then counts as existing.
	 */
	List<Chat> insertAll(List<Chat> chats) {
		if (chats.isEmpty()) {
			return List.of();
		}
		List<Chat> inserted = new ArrayList<>();
		if (this.postgres) {
			StringBuilder sql = new StringBuilder("insert into aa_chat (company_id, chat_id, status, assignment_status, "
					+ "waiting_for, member_id, member_name, last_message_sender, last_message_text, last_message_at, "
					+ "last_activity_at, created_at, updated_at, priority, preferred_agent_id, preference) values ");
			List<Object> args = new ArrayList<>();
			for (int i = 0; i < chats.size(); i++) {
				Chat chat = chats.get(i);
				sql.append(i == 0 ? "" : ", ").append("(?, ?, 'OPEN', 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
				args.addAll(Arrays.asList(chat.companyId(), chat.chatId(), name(chat.waitingFor()), chat.memberId(),
						chat.memberName(), name(chat.lastMessageSender()), chat.lastMessageText(),
						ts(chat.lastMessageAt()), ts(chat.lastActivityAt()), ts(chat.createdAt()), ts(chat.updatedAt()),
						chat.priority().name(), preferredAgent(chat), preferenceReason(chat)));
			}
			sql.append(" on conflict (company_id, chat_id) do nothing returning company_id, chat_id, seq");
			Map<String, Long> seqs = new HashMap<>();
			this.jdbc.query(sql.toString(), (rs) -> {
				seqs.put(key(rs.getString(1), rs.getString(2)), rs.getLong(3));
			}, args.toArray());
			for (Chat chat : chats) {
				Long seq = seqs.get(key(chat.companyId(), chat.chatId()));
				if (seq != null) {
					inserted.add(chat.withSeq(seq));
				}
			}
		}
		else {
			for (Chat chat : chats) {
				if (find(chat.companyId(), chat.chatId()).isEmpty()) {
					insert(chat, chat.createdAt());
					inserted.add(find(chat.companyId(), chat.chatId()).orElseThrow());
				}
			}
		}
		Map<String, Chat> rows = Locked.current().rows;
		for (Chat chat : inserted) {
			rows.put(key(chat.companyId(), chat.chatId()), chat);
		}
		return inserted;
	}

	/** Records each chat's lifecycle process instance, in one statement; answers the chats as stored. */
	List<Chat> setProcessInstances(List<Chat> chats, List<String> processInstanceIds) {
		if (chats.isEmpty()) {
			return List.of();
		}
		for (Chat chat : chats) {
			evict(chat.companyId(), chat.chatId());
		}
		if (!this.postgres) {
			List<Chat> stored = new ArrayList<>();
			for (int i = 0; i < chats.size(); i++) {
				setProcessInstance(chats.get(i).companyId(), chats.get(i).chatId(), processInstanceIds.get(i));
				stored.add(find(chats.get(i).companyId(), chats.get(i).chatId()).orElseThrow());
			}
			return stored;
		}
		StringBuilder sql = new StringBuilder("update aa_chat c set process_instance_id = v.pi from (values ");
		List<Object> args = new ArrayList<>();
		for (int i = 0; i < chats.size(); i++) {
			sql.append(i == 0 ? "" : ", ").append("(?, ?, ?)");
			args.addAll(Arrays.asList(chats.get(i).companyId(), chats.get(i).chatId(), processInstanceIds.get(i)));
		}
		sql.append(") v(company_id, chat_id, pi) where c.company_id = v.company_id and c.chat_id = v.chat_id returning ")
			.append(COLUMNS.replaceAll("(^|, )", "$1c."));
		Map<String, Chat> stored = new HashMap<>();
		// Planned afresh at each execution with its values (never a server-side prepared
		// statement): a generic plan of this join made while aa_chat was small is a sequential
		// scan, and PostgreSQL would keep it until the next ANALYZE (ChatIndexPlanIntegrationTests).
		PreparedStatementCreator unprepared = (connection) -> {
			PreparedStatement statement = connection.prepareStatement(sql.toString());
			statement.unwrap(PGStatement.class).setPrepareThreshold(0);
			new ArgumentPreparedStatementSetter(args.toArray()).setValues(statement);
			return statement;
		};
		for (Chat chat : this.jdbc.query(unprepared, ChatStore::map)) {
			stored.put(key(chat.companyId(), chat.chatId()), chat);
		}
		List<Chat> ordered = new ArrayList<>(chats.size());
		for (Chat chat : chats) {
			ordered.add(stored.get(key(chat.companyId(), chat.chatId())));
		}
		return ordered;
	}

	private static String preferredAgent(Chat chat) {
		return chat.preference() == null ? null : chat.preference().agentId();
	}

	private static String preferenceReason(Chat chat) {
		return chat.preference() == null ? null : chat.preference().reason().name();
	}

	private void insert(Chat chat, Instant now) {
		String message = chat.lastMessageText();
		this.jdbc.update("insert into aa_chat (company_id, chat_id, status, assignment_status, waiting_for, member_id, "
				+ "member_name, last_message_sender, last_message_text, last_message_at, last_activity_at, created_at, "
				+ "updated_at, priority, preferred_agent_id, preference) values "
				+ "(?, ?, 'OPEN', 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", chat.companyId(), chat.chatId(),
				name(chat.waitingFor()), chat.memberId(), chat.memberName(), message == null ? null : Sender.MEMBER.name(),
				message, message == null ? null : ts(now), ts(now), ts(now), ts(now), chat.priority().name(),
				preferredAgent(chat), preferenceReason(chat));
	}

	void setProcessInstance(String companyId, String chatId, String processInstanceId) {
		evict(companyId, chatId);
		this.jdbc.update("update aa_chat set process_instance_id = ? where company_id = ? and chat_id = ?",
				processInstanceId, companyId, chatId);
	}

	/** Notes why the platform closes the chat (just before it closes, in the same transaction). */
	void setCloseDetail(String companyId, String chatId, CloseDetail detail) {
		evict(companyId, chatId);
		this.jdbc.update("update aa_chat set close_detail = ? where company_id = ? and chat_id = ? and status = 'OPEN'",
				detail.name(), companyId, chatId);
	}

	void setGroup(String companyId, String chatId, String groupId) {
		evict(companyId, chatId);
		this.jdbc.update("update aa_chat set assigned_group_id = ? where company_id = ? and chat_id = ?", groupId,
				companyId, chatId);
	}

	/** Records a message on an open chat; false when the chat is closed or unknown. */
	boolean recordMessage(String companyId, String chatId, Sender sender, String text, Instant now) {
		evict(companyId, chatId);
		// member_waiting_since: the first MEMBER message after the last AGENT one (the right-hand
		// sides read the row as it was); a chat created with a message has none yet, its
		// last_message_at stands for it (see Chat.memberWaitingSince)
		return this.jdbc.update("update aa_chat set member_waiting_since = case when ? = 'MEMBER' then "
				+ "coalesce(member_waiting_since, case when last_message_sender = 'MEMBER' then last_message_at else ? end) "
				+ "else null end, last_message_sender = ?, last_message_text = ?, last_message_at = ?, "
				+ "last_activity_at = ? where company_id = ? and chat_id = ? and status = 'OPEN'", sender.name(), ts(now),
				sender.name(), text, ts(now), ts(now), companyId, chatId) == 1;
	}

	/**
	 * The agent (or admin) that held the member's latest chat closed since {@code since}, when that
	 * chat was ASSIGNED or TAKEN_OVER at its close.
	 */
	public Optional<String> lastHandler(String companyId, String memberId, Instant since) {
		return this.jdbc.query("select assignment_status, assigned_agent_id from aa_chat where company_id = ? and "
				+ "member_id = ? and status = 'CLOSED' and closed_at >= ? order by closed_at desc limit 1",
				(rs, row) -> ("ASSIGNED".equals(rs.getString(1)) || "TAKEN_OVER".equals(rs.getString(1)))
						? rs.getString(2) : null,
				companyId, memberId, ts(since)).stream().filter(java.util.Objects::nonNull).findFirst();
	}

	/** 1-based position of a queued chat among the company's queued chats. */
	public int queuePosition(String companyId, long queueSeq) {
		Integer position = this.jdbc.queryForObject("select count(*) from aa_chat where company_id = ? and "
				+ OPEN_QUEUED + " and queue_seq <= ?", Integer.class, companyId, queueSeq);
		return position == null ? 0 : position;
	}

	/** The view of a chat, with its queue position when queued. */
	public ChatView view(Chat chat) {
		if (!chat.isOpen() || chat.assignmentStatus() != AssignmentStatus.QUEUED || chat.queueSeq() == null) {
			return ChatView.of(chat, null);
		}
		return ChatView.of(chat, queuePosition(chat.companyId(), chat.queueSeq()), estimatedWait(chat));
	}

	/** A queued chat's estimated wait, from its position within its pool. */
	public Integer estimatedWait(Chat chat) {
		if (chat.queuePool() == null || chat.queueSeq() == null) {
			return null;
		}
		Integer position = this.jdbc.queryForObject("select count(*) from aa_chat where company_id = ? and "
				+ OPEN_QUEUED + " and queue_pool = ? and queue_seq <= ?", Integer.class, chat.companyId(),
				chat.queuePool(), chat.queueSeq());
		return this.estimates.seconds(chat.companyId(), chat.queuePool(), position == null ? 1 : position,
				chat.priority());
	}

	/** The views of several chats, queue positions read in one query. */
	public List<ChatView> views(String companyId, List<Chat> chats) {
		Map<String, Integer> positions = new HashMap<>();
		Map<String, Integer> estimates = new HashMap<>();
		if (chats.stream().anyMatch((chat) -> chat.isOpen() && chat.assignmentStatus() == AssignmentStatus.QUEUED)) {
			int[] position = { 0 };
			Map<String, Integer> waitingIn = new HashMap<>();
			Map<String, Integer> poolPositions = new HashMap<>();
			Map<String, String> pools = new HashMap<>();
			Map<String, Priority> priorities = new HashMap<>();
			this.jdbc.query("select chat_id, queue_pool, priority from aa_chat where company_id = ? and " + OPEN_QUEUED
					+ " order by queue_seq", (rs) -> {
						positions.put(rs.getString(1), ++position[0]);
						String pool = rs.getString(2);
						if (pool != null) {
							pools.put(rs.getString(1), pool);
							priorities.put(rs.getString(1), parse(Priority.class, rs.getString(3)));
							poolPositions.put(rs.getString(1), waitingIn.merge(pool, 1, Integer::sum));
						}
					}, companyId);
			// only the listed chats' estimates, and only their pools' recent history
			Map<String, String> listed = new HashMap<>();
			chats.forEach((chat) -> {
				String pool = pools.get(chat.chatId());
				if (pool != null) {
					listed.put(chat.chatId(), pool);
				}
			});
			WaitEstimates.Estimator estimator = this.estimates.of(companyId, new java.util.HashSet<>(listed.values()));
			listed.forEach((chatId, pool) -> estimates.put(chatId,
					estimator.seconds(pool, poolPositions.get(chatId), priorities.get(chatId))));
		}
		return chats.stream()
			.map((chat) -> ChatView.of(chat, positions.get(chat.chatId()), estimates.get(chat.chatId())))
			.toList();
	}

	/**
	 * Up to {@code limit} of the company's chats that pass {@code filter}, in chat id order after
	 * {@code afterChatId} ({@code null}: from the first). Keyset pagination on the primary key:
	 * every chat that exists throughout a walk of the pages is listed exactly once, whatever
	 * changes meanwhile (a chat created meanwhile with an id below the walk's position is left
	 * to the next walk, e.g. with {@code updatedSince}).
	 */
	public List<Chat> page(String companyId, ChatFilter filter, String afterChatId, int limit) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + " from aa_chat where company_id = ?");
		List<Object> args = new ArrayList<>();
		args.add(companyId);
		if (afterChatId != null) {
			sql.append(" and chat_id > ?");
			args.add(afterChatId);
		}
		if (filter.status() != null) {
			sql.append(" and status = ?");
			args.add(filter.status().name());
		}
		if (filter.assignmentStatus() != null) {
			sql.append(" and assignment_status = ?");
			args.add(filter.assignmentStatus().name());
		}
		if (filter.agentId() != null) {
			sql.append(" and assigned_agent_id = ?");
			args.add(filter.agentId());
		}
		if (filter.groupId() != null) {
			sql.append(" and assigned_group_id = ?");
			args.add(filter.groupId());
		}
		if (filter.updatedSince() != null) {
			sql.append(" and updated_at >= ?");
			args.add(ts(filter.updatedSince()));
		}
		sql.append(" order by chat_id limit ?");
		args.add(limit);
		return this.jdbc.query(sql.toString(), ChatStore::map, args.toArray());
	}

	/** The company's open chats that wait for their preferred agent, oldest first. */
	public List<Chat> waitingForPreferredAgent(String companyId, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and status = 'OPEN' and "
				+ "assignment_status = 'PENDING' and waiting_for = 'PREFERRED_AGENT' order by seq limit ?", ChatStore::map,
				companyId, limit);
	}

	/** The company's queued chats, oldest first. */
	public List<Chat> queued(String companyId, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and " + OPEN_QUEUED
				+ " order by queue_seq limit ?", ChatStore::map, companyId, limit);
	}

	/** Queued chats after the given queue sequence, oldest first (to walk the whole queue). */
	public List<Chat> queuedAfter(String companyId, long afterSeq, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and " + OPEN_QUEUED
				+ " and queue_seq > ? order by queue_seq limit ?", ChatStore::map, companyId, afterSeq, limit);
	}

	/** Chats left pending while auto-assign was disabled, in creation order. */
	public List<Chat> pendingAutoAssign(String companyId, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and status = 'OPEN' and "
				+ "assignment_status = 'PENDING' and waiting_for = 'AUTO_ASSIGN' order by seq limit ?", ChatStore::map,
				companyId, limit);
	}

	/** The open chats an agent or admin holds (assigned or taken over), oldest first. */
	public List<Chat> heldBy(String companyId, String agentId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and assigned_agent_id = ? and "
				+ "status = 'OPEN' and assignment_status in ('ASSIGNED', 'TAKEN_OVER') order by assigned_at, seq",
				ChatStore::map, companyId, agentId);
	}

	/**
	 * The agent's open ASSIGNED chats, oldest assignment first, all locked until the current
	 * transaction ends by one statement (so that {@link #lock} of each then costs no query).
	 */
	public List<Chat> lockAssignedTo(String companyId, String agentId) {
		List<Chat> chats = this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and "
				+ "assigned_agent_id = ? and status = 'OPEN' and assignment_status = 'ASSIGNED' order by assigned_at, seq "
				+ "for update", ChatStore::map, companyId, agentId);
		Map<String, Chat> rows = Locked.current().rows;
		for (Chat chat : chats) {
			rows.putIfAbsent(key(chat.companyId(), chat.chatId()), chat);
		}
		return chats;
	}

	public List<Chat> assignedTo(String companyId, String agentId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and assigned_agent_id = ? and "
				+ "status = 'OPEN' and assignment_status = 'ASSIGNED' order by assigned_at, seq", ChatStore::map,
				companyId, agentId);
	}

	/** The agent's ASSIGNED chats without activity since {@code idleSince}, most idle first. */
	public List<Chat> idleAssignedTo(String companyId, String agentId, Instant idleSince, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and assigned_agent_id = ? and "
				+ "status = 'OPEN' and assignment_status = 'ASSIGNED' and last_activity_at <= ? "
				+ "order by last_activity_at, seq limit ?", ChatStore::map, companyId, agentId, ts(idleSince), limit);
	}

	/** Open chats per agent in ASSIGNED state: the agents' loads. */
	public Map<String, Integer> loads(String companyId) {
		Map<String, Integer> loads = new HashMap<>();
		this.jdbc.query("select assigned_agent_id, count(*) from aa_chat where company_id = ? and status = 'OPEN' and "
				+ "assigned_agent_id is not null and assignment_status = 'ASSIGNED' group by assigned_agent_id", (rs) -> {
					loads.put(rs.getString(1), rs.getInt(2));
				}, companyId);
		return loads;
	}

	/**
	 * Every chat of the company, closed ones included, in creation order (for tests and tools:
	 * it reads the company's whole retained history).
	 */
	public List<Chat> all(String companyId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? order by seq", ChatStore::map,
				companyId);
	}

	/** Every open chat of the company, in creation order. */
	public List<Chat> open(String companyId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and status = 'OPEN' order by seq",
				ChatStore::map, companyId);
	}

	/** The company's most recently closed chats, at most {@code limit}, the latest first. */
	public List<Chat> recentlyClosed(String companyId, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and status = 'CLOSED' "
				+ "order by closed_at desc limit ?", ChatStore::map, companyId, limit);
	}

	/**
	 * The chats among {@code chatIds} that exist (open or closed), looked up by primary key only
	 * (no status in the statement: with "status = 'CLOSED'" the planner may take aa_chat_closed
	 * and walk every closed chat of the company).
	 */
	public List<Chat> byIds(String companyId, Collection<String> chatIds) {
		List<Chat> found = new ArrayList<>();
		List<String> ids = List.copyOf(chatIds);
		for (int from = 0; from < ids.size(); from += 500) {
			List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
			List<Object> args = new ArrayList<>();
			args.add(companyId);
			args.addAll(part);
			found.addAll(this.jdbc.query("select " + COLUMNS + " from aa_chat where company_id = ? and chat_id in ("
					+ String.join(", ", Collections.nCopies(part.size(), "?")) + ")", ChatStore::map, args.toArray()));
		}
		return found;
	}

	private static String key(String companyId, String chatId) {
		return companyId + '\u0000' + chatId;
	}

	/**
	 * A row of this transaction changed by another writer (the routing core's): the next
	 * {@link #lock} reads it again.
	 */
	public void changed(String companyId, String chatId) {
		evict(companyId, chatId);
	}

	private static void evict(String companyId, String chatId) {
		Locked known = TransactionScoped.find(Locked.class);
		if (known != null) {
			known.rows.remove(key(companyId, chatId));
		}
	}

	/** The chats this transaction inserted or locked and has not changed since. */
	private static final class Locked implements TransactionSynchronization {

		final Map<String, Chat> rows = new HashMap<>();

		static Locked current() {
			return TransactionScoped.get(Locked.class, Locked::new);
		}

	}

	private static Timestamp ts(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp ts = rs.getTimestamp(column);
		return ts == null ? null : ts.toInstant();
	}

	private static String name(Enum<?> value) {
		return value == null ? null : value.name();
	}

	private static <E extends Enum<E>> E parse(Class<E> type, String value) {
		return value == null ? null : Enum.valueOf(type, value);
	}

	private static Chat map(ResultSet rs, int row) throws SQLException {
		long queueSeq = rs.getLong("queue_seq");
		Long queue = rs.wasNull() ? null : queueSeq;
		return new Chat(rs.getString("company_id"), rs.getString("chat_id"), rs.getLong("seq"),
				parse(ChatStatus.class, rs.getString("status")),
				parse(AssignmentStatus.class, rs.getString("assignment_status")),
				parse(WaitingFor.class, rs.getString("waiting_for")), rs.getString("assigned_agent_id"),
				rs.getString("assigned_group_id"), instant(rs, "assigned_at"), instant(rs, "queued_at"), queue,
				rs.getString("queue_pool"), rs.getString("member_id"), rs.getString("member_name"),
				parse(Sender.class, rs.getString("last_message_sender")), rs.getString("last_message_text"),
				instant(rs, "last_message_at"), instant(rs, "last_activity_at"), instant(rs, "created_at"),
				instant(rs, "closed_at"), parse(CloseReason.class, rs.getString("close_reason")),
				parse(CloseDetail.class, rs.getString("close_detail")), rs.getString("process_instance_id"), rs.getLong("event_seq"), instant(rs, "updated_at"),
				instant(rs, "member_waiting_since"), parse(Priority.class, rs.getString("priority")),
				preference(rs.getString("preferred_agent_id"), rs.getString("preference")));
	}

	private static Preference preference(String agentId, String reason) {
		return agentId == null ? null : new Preference(agentId, parse(Preference.Reason.class, reason));
	}

}
