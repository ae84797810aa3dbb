package io.autoassign.events;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events reach the sessions from the durable log, whatever happens to Redis pub/sub, and a late
 * event is never delivered over a newer one of its chat.
 */
@IntegrationTest
class EventStreamIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PausePoints pauses;

	String company;

	final List<StompTestClient> clients = new ArrayList<>();

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(StompTestClient::close);
	}

	@Test
	void anAgentHearsOfAChatAssignedRightAfterRedisDroppedThePubSubConnections() {
		StompTestClient a = subscribed("a");
		// every node's subscription is gone (Spring subscribes again some seconds later)
		this.redis.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT",
				"KILL".getBytes(), "TYPE".getBytes(), "pubsub".getBytes()));

		chat("c1");

		JsonNode assigned = a.awaitEvent("CHAT_ASSIGNED", "c1");
		assertThat(assigned.path("agentId").asText()).isEqualTo("a");
		assertThat(assigned.path("version").asLong()).isPositive();
	}

	@Test
	void aLateEventIsNotDeliveredOverANewerOneButItsRecipientsAreSynced() {
		StompTestClient a = subscribed("a");
		chat("c1");
		JsonNode assigned = a.awaitEvent("CHAT_ASSIGNED", "c1");
		this.api.post(base() + "/chats/c1/close", null);
		a.awaitEvent("CHAT_UNASSIGNED", "c1");
		int syncs = a.received("CHAT_ASSIGNMENT_SYNC", null).size();

		// The assignment's row shows up again, as a transaction slower than the stream's wait would
		// (its chat version is older than the close's).
		this.jdbc.update("insert into aa_event (tx, company_id, chat_id, chat_seq, recipients, payload, created_at) "
				+ "values (?, ?, 'c1', ?, ?, ?, ?)", UUID.randomUUID().toString(), this.company,
				assigned.path("version").asLong(), "{\"userIds\":[\"a\"],\"allAdmins\":true,\"allAgents\":false}",
				assigned.toString().replace(assigned.path("eventId").asText(), "late-" + UUID.randomUUID()),
				Timestamp.from(Instant.now()));

		await().until(() -> a.received("CHAT_ASSIGNMENT_SYNC", null).size() == syncs + 1);
		assertThat(a.received("CHAT_ASSIGNED", "c1")).hasSize(1);
		JsonNode sync = a.received("CHAT_ASSIGNMENT_SYNC", null).get(syncs);
		assertThat(sync.path("assignedChats").findValuesAsText("chatId")).doesNotContain("c1");
	}

	@Test
	void aSendThatThrowsFailsThatSendOnlyAndTheStreamGoesOn() {
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		StompTestClient a = subscribed("a");
		StompTestClient boss = subscribed("boss");
		try (Gates gates = Gates.install(this.pauses)) {
			// the first send of c1's CHAT_ASSIGNED (to one of its two recipients) throws
			gates.at(Point.SESSION_SEND, this.company, "c1")
				.passing()
				.failing(1, () -> new IllegalStateException("injected: a send that throws"));
			chat("c1");
			chat("c2");

			// the other recipient got c1's event, and both get the events after it
			a.awaitEvent("CHAT_ASSIGNED", "c2");
			boss.awaitEvent("CHAT_ASSIGNED", "c2");
			assertThat(a.received("CHAT_ASSIGNED", "c1").size() + boss.received("CHAT_ASSIGNED", "c1").size())
				.isEqualTo(1);
		}
	}

	@Test
	void anUnreadableRowInTheLogDoesNotStopTheEventsBehindIt() {
		StompTestClient a = subscribed("a");
		this.jdbc.update("insert into aa_event (tx, company_id, chat_id, chat_seq, recipients, payload, created_at) "
				+ "values (?, ?, 'x', 1, 'not json', '{broken', ?)", UUID.randomUUID().toString(), this.company,
				Timestamp.from(Instant.now()));

		chat("c1");

		assertThat(a.awaitEvent("CHAT_ASSIGNED", "c1").path("agentId").asText()).isEqualTo("a");
	}

	/**
	 * The sync of a new subscription is read before an assignment to the agent commits, and held
	 * there: the assignment's event must not reach the client before the sync, which would then
	 * wipe the chat from the client's view.
	 */
	@Test
	void aSyncReadBeforeAnAssignmentCommittedArrivesBeforeTheAssignment() {
		StompTestClient a = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/a/tokens", null).text("token"));
		this.clients.add(a);
		try (Gates gates = Gates.install(this.pauses)) {
			Gates.Gate read = gates.at(Point.SYNC_READ, this.company);
			a.subscribe("/user/queue/auto-assign");
			read.awaitReached();

			chat("c1");
			read.open();

			a.awaitEvent("CHAT_ASSIGNED", "c1");
			a.awaitMessage((m) -> m.path("type").asText().equals("CHAT_ASSIGNMENT_SYNC"));
			List<String> order = a.messages().stream().map((m) -> m.path("type").asText()).toList();
			assertThat(order).containsExactly("CHAT_ASSIGNMENT_SYNC", "CHAT_ASSIGNED");
		}
	}

	private StompTestClient subscribed(String agentId) {
		StompTestClient client = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token"));
		this.clients.add(client);
		client.subscribeOwn();
		return client;
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
