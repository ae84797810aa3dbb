package io.autoassign.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.autoassign.events.LoggedEvent;
import io.autoassign.platform.Database;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code aa_webhook} and {@code aa_webhook_delivery} tables. */
@Component
class WebhookStore {

	/** The webhooks of a company that receive events now. */
	record Subscription(String webhookId, List<String> events) {

		boolean receives(String type) {
			return this.events == null || this.events.contains(type);
		}

	}

	private static final String DELIVERY_COLUMNS = "id, webhook_id, event_id, event_type, chat_id, status, attempts, "
			+ "created_at, last_attempt_at, next_attempt_at, delivered_at, last_status, last_error";

	private final JdbcTemplate jdbc;

	private final boolean skipLocked;

	WebhookStore(JdbcTemplate jdbc, Database database) {
		this.jdbc = jdbc;
		// the embedded H2 run is one node: it has no other claimer to skip
		this.skipLocked = database.isPostgres();
	}

	/** Saves {@code webhook}; answers whether it was created. */
	boolean upsert(Webhook webhook) {
		for (int tries = 0;; tries++) {
			int updated = this.jdbc.update(
					"update aa_webhook set url = ?, secret = ?, events = ?, enabled = ?, updated_at = ? "
							+ "where company_id = ? and webhook_id = ?",
					webhook.url(), webhook.secret(), framed(webhook.events()), webhook.enabled(),
					Timestamp.from(webhook.updatedAt()), webhook.companyId(), webhook.webhookId());
			if (updated > 0) {
				return false;
			}
			try {
				this.jdbc.update("insert into aa_webhook (company_id, webhook_id, url, secret, events, enabled, "
						+ "created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)", webhook.companyId(),
						webhook.webhookId(), webhook.url(), webhook.secret(), framed(webhook.events()), webhook.enabled(),
						Timestamp.from(webhook.createdAt()), Timestamp.from(webhook.updatedAt()));
				return true;
			}
			catch (DuplicateKeyException ex) {
				if (tries > 0) {
					throw ex;
				}
				// created meanwhile by another request: update it
			}
		}
	}

	Optional<Webhook> find(String companyId, String webhookId) {
		return this.jdbc.query("select company_id, webhook_id, url, secret, events, enabled, created_at, updated_at "
				+ "from aa_webhook where company_id = ? and webhook_id = ?", WebhookStore::webhook, companyId, webhookId)
			.stream()
			.findFirst();
	}

	List<Webhook> list(String companyId) {
		return this.jdbc.query("select company_id, webhook_id, url, secret, events, enabled, created_at, updated_at "
				+ "from aa_webhook where company_id = ? order by webhook_id", WebhookStore::webhook, companyId);
	}

	int count(String companyId) {
		Integer count = this.jdbc.queryForObject("select count(*) from aa_webhook where company_id = ?",
				Integer.class, companyId);
		return count == null ? 0 : count;
	}

	/**
	 * Deletes the webhook and (cascading) its deliveries; call it in a transaction. The webhook's
	 * row is locked first, as a pass of the sender locks it (shared) before its deliveries
	 * ({@link #lockWebhooks}), so the two wait for each other instead of deadlocking on the
	 * deliveries' rows.
	 */
	boolean delete(String companyId, String webhookId) {
		if (this.jdbc.queryForList("select webhook_id from aa_webhook where company_id = ? and webhook_id = ? for update",
				String.class, companyId, webhookId).isEmpty()) {
			return false;
		}
		return this.jdbc.update("delete from aa_webhook where company_id = ? and webhook_id = ?", companyId,
				webhookId) > 0;
	}

	/**
	 * Locks the webhooks' rows (shared on PostgreSQL), in one order, before a pass of the sender
	 * updates their deliveries: a deletion of one of them then waits for the pass, or the pass for
	 * it (see {@link #delete}).
	 */
	void lockWebhooks(java.util.Collection<List<String>> companyAndWebhookIds) {
		List<List<String>> sorted = companyAndWebhookIds.stream()
			.distinct()
			.sorted(java.util.Comparator.<List<String>, String>comparing((k) -> k.get(0)).thenComparing((k) -> k.get(1)))
			.toList();
		String lock = this.skipLocked ? " for share" : " for update";
		for (List<String> key : sorted) {
			this.jdbc.queryForList("select webhook_id from aa_webhook where company_id = ? and webhook_id = ?" + lock,
					String.class, key.get(0), key.get(1));
		}
	}

	/** The enabled webhooks of the company, with the event types each receives. */
	List<Subscription> subscriptions(String companyId) {
		return this.jdbc.query("select webhook_id, events from aa_webhook where company_id = ? and enabled",
				(rs, n) -> new Subscription(rs.getString(1), unframed(rs.getString(2))), companyId);
	}

	/**
	 * A PENDING delivery, due now, of each of the company's {@code events} to each of its enabled
	 * webhooks that receives the event's type; in the order of the events. On PostgreSQL one
	 * statement, which also finds the webhooks (nothing written and one round trip when the
	 * company has none): it runs inside the transaction that caused the events.
	 */
	void writeDeliveries(String companyId, List<LoggedEvent> events, Instant now, Instant giveUpAt) {
		if (!this.skipLocked) {
			List<Object[]> rows = new ArrayList<>();
			for (Subscription webhook : subscriptions(companyId)) {
				for (LoggedEvent event : events) {
					if (webhook.receives(event.type())) {
						rows.add(deliveryRow(webhook.webhookId(), event, now, giveUpAt));
					}
				}
			}
			if (!rows.isEmpty()) {
				insertDeliveries(rows);
			}
			return;
		}
		Timestamp at = Timestamp.from(now);
		List<Object> args = new ArrayList<>(List.of(at, at, Timestamp.from(giveUpAt)));
		List<String> values = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			LoggedEvent event = events.get(i);
			values.add("(cast(? as integer), ?, ?, ?, ?, ?)");
			args.addAll(Arrays.asList(i, event.eventId(), event.type(), event.chatId(), event.orderKey(), event.payload()));
		}
		args.add(companyId);
		this.jdbc.update("insert into aa_webhook_delivery (company_id, webhook_id, event_id, event_type, chat_id, "
				+ "order_key, payload, status, attempts, created_at, next_attempt_at, give_up_at) "
				+ "select w.company_id, w.webhook_id, v.event_id, v.event_type, v.chat_id, v.order_key, v.payload, "
				+ "'PENDING', 0, ?, ?, ? from aa_webhook w join (values " + String.join(", ", values)
				+ ") as v (ord, event_id, event_type, chat_id, order_key, payload) "
				+ "on w.events is null or w.events like '%,' || v.event_type || ',%' "
				+ "where w.company_id = ? and w.enabled order by w.webhook_id, v.ord", args.toArray());
	}

	/** A PENDING delivery of each event to its webhook, due now. */
	void insertDeliveries(List<Object[]> rows) {
		this.jdbc.batchUpdate("insert into aa_webhook_delivery (company_id, webhook_id, event_id, event_type, "
				+ "chat_id, order_key, payload, status, attempts, created_at, next_attempt_at, give_up_at) "
				+ "values (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)", rows);
	}

	static Object[] deliveryRow(String webhookId, LoggedEvent event, Instant now, Instant giveUpAt) {
		Timestamp at = Timestamp.from(now);
		return new Object[] { event.companyId(), webhookId, event.eventId(), event.type(), event.chatId(),
				event.orderKey(), event.payload(), at, at, Timestamp.from(giveUpAt) };
	}

	/** A delivery claimed by this node (what sending it needs besides its webhook). */
	record Locked(long id, String companyId, String webhookId, String eventId, String eventType, String chatId,
			String payload, int attempt, Instant createdAt, Instant giveUpAt) {
	}

	private static final String DUE = "d.status = 'PENDING' and d.next_attempt_at <= ? "
			+ "and (d.lease_until is null or d.lease_until <= ?) and w.enabled "
			// none waits behind an earlier unacknowledged delivery of its order key
			+ "and not exists (select 1 from aa_webhook_delivery e where e.company_id = d.company_id "
			+ "and e.webhook_id = d.webhook_id and e.order_key = d.order_key and e.id < d.id and e.status = 'PENDING')";

	/**
	 * Claims due deliveries for this node until {@code leaseUntil}, oldest first: of each enabled
	 * webhook at most {@code perWebhook} less the requests it has open here ({@code open}, by
	 * {@code company/webhook}), {@code limit} in all, none that another claim holds, and counts
	 * their attempt. Runs in the current transaction.
	 */
	List<Locked> claim(Instant now, Map<String, Integer> open, int perWebhook, int limit, Instant leaseUntil) {
		Timestamp at = Timestamp.from(now);
		List<Object> args = new ArrayList<>(List.of(at, at));
		StringBuilder slots = new StringBuilder();
		String taken = "0";
		if (!open.isEmpty()) {
			List<String> rows = new ArrayList<>();
			open.forEach((key, count) -> {
				int slash = key.indexOf('/');
				rows.add("(?, ?, cast(? as integer))");
				args.addAll(List.of(key.substring(0, slash), key.substring(slash + 1), count));
			});
			slots.append(" left join (values ").append(String.join(", ", rows)).append(") as f (company_id, webhook_id, n) "
					+ "on f.company_id = c.company_id and f.webhook_id = c.webhook_id");
			taken = "coalesce(f.n, 0)";
		}
		args.add(perWebhook);
		args.add(limit);
		String candidates = "select c.id from (select d.id, d.company_id, d.webhook_id, row_number() over "
				+ "(partition by d.company_id, d.webhook_id order by d.id) as rank from aa_webhook_delivery d "
				+ "join aa_webhook w on w.company_id = d.company_id and w.webhook_id = d.webhook_id where " + DUE
				+ ") c" + slots + " where c.rank <= ? - " + taken + " order by c.id limit ?";
		if (!this.skipLocked) {
			// H2 (the embedded run, one node): candidates, then lock and lease them
			List<Long> ids = this.jdbc.queryForList(candidates, Long.class, args.toArray());
			if (ids.isEmpty()) {
				return List.of();
			}
			List<Object> lockArgs = new ArrayList<>(ids);
			lockArgs.add(at);
			List<Locked> locked = this.jdbc.query("select id, company_id, webhook_id, event_id, event_type, chat_id, "
					+ "payload, attempts + 1, created_at, give_up_at from aa_webhook_delivery where id in ("
					+ String.join(", ", Collections.nCopies(ids.size(), "?"))
					+ ") and status = 'PENDING' and (lease_until is null or lease_until <= ?) order by id for update",
					WebhookStore::locked, lockArgs.toArray());
			this.jdbc.batchUpdate("update aa_webhook_delivery set lease_until = ?, attempts = attempts + 1, "
					+ "last_attempt_at = ? where id = ?", locked.stream()
						.map((d) -> new Object[] { Timestamp.from(leaseUntil), at, d.id() })
						.toList());
			return locked;
		}
		// PostgreSQL: one statement; rows another claim holds locked are skipped, not waited for
		args.add(at);
		args.add(Timestamp.from(leaseUntil));
		args.add(at);
		List<Locked> claimed = new ArrayList<>(this.jdbc.query("with candidates as (" + candidates + "), "
				+ "locked as (select id from aa_webhook_delivery where id in (select id from candidates) "
				+ "and status = 'PENDING' and (lease_until is null or lease_until <= ?) for update skip locked) "
				+ "update aa_webhook_delivery d set lease_until = ?, attempts = d.attempts + 1, last_attempt_at = ? "
				+ "from locked where d.id = locked.id returning d.id, d.company_id, d.webhook_id, d.event_id, "
				+ "d.event_type, d.chat_id, d.payload, d.attempts, d.created_at, d.give_up_at", WebhookStore::locked,
				args.toArray()));
		claimed.sort(Comparator.comparingLong(Locked::id));
		return claimed;
	}

	private static Locked locked(ResultSet rs, int row) throws SQLException {
		return new Locked(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getString(7), rs.getInt(8), instant(rs, 9), instant(rs, 10));
	}

	/** Marks the deliveries DELIVERED; answers the rows each update changed. */
	int[] delivered(List<Object[]> idStatusAt) {
		return this.jdbc.batchUpdate("update aa_webhook_delivery set status = 'DELIVERED', delivered_at = ?, last_status = ?, "
				+ "last_error = null, lease_until = null where id = ? and status = 'PENDING'", idStatusAt);
	}

	/** A failed attempt: due again at {@code next}, or FAILED when {@code next} is {@code null}. */
	boolean failed(long id, Integer status, String error, Instant next) {
		return this.jdbc.update("update aa_webhook_delivery set status = ?, next_attempt_at = coalesce(?, next_attempt_at), "
				+ "lease_until = null, last_status = ?, last_error = ? where id = ? and status = 'PENDING'",
				next == null ? DeliveryStatus.FAILED.name() : DeliveryStatus.PENDING.name(),
				next == null ? null : Timestamp.from(next), status, error, id) > 0;
	}

	/** The endpoint answers again: its deliveries waiting out a pause are due now. */
	int dueNow(String companyId, String webhookId, Instant now) {
		return this.jdbc.update("update aa_webhook_delivery set next_attempt_at = ? where company_id = ? "
				+ "and webhook_id = ? and status = 'PENDING' and next_attempt_at > ?", Timestamp.from(now), companyId,
				webhookId, Timestamp.from(now));
	}

	/** A page of the webhook's deliveries, newest first, below {@code beforeId} ({@code null}: from the newest). */
	List<DeliveryView> deliveries(String companyId, String webhookId, DeliveryStatus status, Long beforeId,
			int limit) {
		List<Object> args = new ArrayList<>(Arrays.asList(companyId, webhookId));
		StringBuilder where = new StringBuilder("company_id = ? and webhook_id = ?");
		if (status != null) {
			where.append(" and status = ?");
			args.add(status.name());
		}
		if (beforeId != null) {
			where.append(" and id < ?");
			args.add(beforeId);
		}
		args.add(limit);
		return this.jdbc.query("select " + DELIVERY_COLUMNS + " from aa_webhook_delivery where " + where
				+ " order by id desc limit ?", WebhookStore::delivery, args.toArray());
	}

	Optional<DeliveryView> delivery(String companyId, String webhookId, long id) {
		return this.jdbc.query("select " + DELIVERY_COLUMNS + " from aa_webhook_delivery where company_id = ? "
				+ "and webhook_id = ? and id = ?", WebhookStore::delivery, companyId, webhookId, id).stream().findFirst();
	}

	/** Makes the delivery due now, for another {@code giveUpAt}; its attempts go on counting. */
	boolean redeliver(String companyId, String webhookId, long id, Instant now, Instant giveUpAt) {
		return this.jdbc.update("update aa_webhook_delivery set status = 'PENDING', next_attempt_at = ?, "
				+ "give_up_at = ?, delivered_at = null where company_id = ? and webhook_id = ? and id = ?",
				Timestamp.from(now), Timestamp.from(giveUpAt), companyId, webhookId, id) > 0;
	}

	/** Deliveries not yet acknowledged, and the creation of the oldest ({@code null} when none). */
	record Backlog(long pending, Instant oldest) {
	}

	Backlog backlog() {
		return this.jdbc.queryForObject("select count(*), min(created_at) from aa_webhook_delivery where status = 'PENDING'",
				(rs, n) -> new Backlog(rs.getLong(1), instant(rs, 2)));
	}

	/** Deletes delivered and failed deliveries created before {@code before}, {@code batch} at a time. */
	int deleteFinished(Instant before, int batch) {
		int deleted = 0;
		int step;
		do {
			step = this.jdbc.update("delete from aa_webhook_delivery where id in (select id from aa_webhook_delivery "
					+ "where status <> 'PENDING' and created_at < ? order by id limit ?)", Timestamp.from(before), batch);
			deleted += step;
		}
		while (step == batch);
		return deleted;
	}

	private static Webhook webhook(ResultSet rs, int row) throws SQLException {
		return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
				unframed(rs.getString(5)), rs.getBoolean(6), instant(rs, 7), instant(rs, 8));
	}

	private static DeliveryView delivery(ResultSet rs, int row) throws SQLException {
		int lastStatus = rs.getInt(12);
		Integer answered = rs.wasNull() ? null : lastStatus;
		DeliveryStatus status = DeliveryStatus.valueOf(rs.getString(6));
		return new DeliveryView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				status, rs.getInt(7), instant(rs, 8), instant(rs, 9),
				status == DeliveryStatus.PENDING ? instant(rs, 10) : null, instant(rs, 11),
				answered, rs.getString(13));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp at = rs.getTimestamp(column);
		return at == null ? null : at.toInstant();
	}

	private static String framed(List<String> events) {
		return events == null ? null : "," + String.join(",", events) + ",";
	}

	private static List<String> unframed(String events) {
		if (events == null) {
			return null;
		}
		return Arrays.stream(events.split(",")).filter((type) -> !type.isEmpty()).toList();
	}

}
