package io.autoassign.events;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code aa_event} table: the events of each transaction, appended in that transaction,
 * read by every node in id order. Each row holds the event as its users receive it (with the
 * chat's {@code version}) and whom it is for.
 */
@Component
class EventLog {

	private static final Logger log = LoggerFactory.getLogger(EventLog.class);

	/**
	 * One event as stored.
	 * @param payload the event's JSON as its users receive it; {@code null} when the row could not be read
	 */
	record Entry(long id, String tx, String companyId, String chatId, long sequence, Recipients recipients,
			String payload) {
	}

	private static final String COLUMNS = "id, tx, company_id, chat_id, chat_seq, recipients, payload";

	private final JdbcTemplate jdbc;

	private final ObjectMapper json;

	private final List<EventLogSubscriber> subscribers;

	EventLog(JdbcTemplate jdbc, ObjectMapper json, List<EventLogSubscriber> subscribers) {
		this.jdbc = jdbc;
		this.json = json;
		this.subscribers = List.copyOf(subscribers);
	}

	/** Appends the events of transaction {@code tx}, in order, in the current transaction. */
	void append(String tx, List<Delivery> deliveries, Instant now) {
		List<Object[]> rows = new ArrayList<>(deliveries.size());
		List<LoggedEvent> logged = new ArrayList<>(deliveries.size());
		for (Delivery delivery : deliveries) {
			ObjectNode event = this.json.valueToTree(delivery.event());
			if (delivery.chatId() != null && delivery.sequence() > 0) {
				// the chat's version after the transaction: clients order and de-duplicate by it
				event.put("version", delivery.sequence());
			}
			String payload = write(event);
			rows.add(new Object[] { tx, delivery.event().companyId(), delivery.chatId(), delivery.sequence(),
					write(delivery.recipients()), payload, Timestamp.from(now) });
			logged.add(new LoggedEvent(delivery.event().eventId(), delivery.event().type(),
					delivery.event().companyId(), delivery.chatId(), orderKey(delivery), payload));
		}
		this.jdbc.batchUpdate("insert into aa_event (tx, company_id, chat_id, chat_seq, recipients, payload, "
				+ "created_at) values (?, ?, ?, ?, ?, ?, ?)", rows);
		for (EventLogSubscriber subscriber : this.subscribers) {
			subscriber.written(logged);
		}
	}

	private static String orderKey(Delivery delivery) {
		if (delivery.chatId() != null) {
			return "chat/" + delivery.chatId();
		}
		if (delivery.event() instanceof AutoAssignEvent.AgentUpdated updated) {
			return "agent/" + updated.agent().agentId();
		}
		if (delivery.event() instanceof AutoAssignEvent.AgentChatsReassigned reassigned) {
			return "agent/" + reassigned.agentId();
		}
		return "company";
	}

	/** Up to {@code limit} events after {@code id}, in id order. */
	List<Entry> after(long id, int limit) {
		return this.jdbc.query("select " + COLUMNS + " from aa_event where id > ? order by id limit ?",
				(rs, n) -> entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
						rs.getString(6), rs.getString(7)),
				id, limit);
	}

	/** Those of the events {@code ids} that exist, in id order. */
	List<Entry> byIds(List<Long> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.query("select " + COLUMNS + " from aa_event where id in ("
				+ String.join(", ", Collections.nCopies(ids.size(), "?")) + ") order by id",
				(rs, n) -> entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
						rs.getString(6), rs.getString(7)),
				ids.toArray());
	}

	/** The highest id written so far (0 when none). */
	long lastId() {
		Long last = this.jdbc.queryForObject("select max(id) from aa_event", Long.class);
		return last == null ? 0 : last;
	}

	/** Deletes the events up to {@code id}, at most {@code batch} at a time; answers how many. */
	int deleteUpTo(long id, int batch) {
		Long first = this.jdbc.queryForObject("select min(id) from aa_event", Long.class);
		int deleted = 0;
		for (long from = first == null ? id + 1 : first; from <= id; from += batch) {
			deleted += this.jdbc.update("delete from aa_event where id >= ? and id < ? and id <= ?", from, from + batch,
					id);
		}
		return deleted;
	}

	/** A row that cannot be read becomes an entry for no one (it must not stop the stream behind it). */
	private Entry entry(long id, String tx, String companyId, String chatId, long sequence, String recipients,
			String payload) {
		try {
			// the payload goes out as it is stored, without being parsed again
			return new Entry(id, tx, companyId, chatId, sequence, this.json.readValue(recipients, Recipients.class),
					payload);
		}
		catch (JsonProcessingException ex) {
			log.warn("Event {} of the log cannot be read; it is skipped: {}", id, ex.toString());
			return new Entry(id, tx, companyId, chatId, sequence, Recipients.users(), null);
		}
	}

	private String write(Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
