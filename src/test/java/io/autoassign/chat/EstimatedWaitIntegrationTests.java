package io.autoassign.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.events.AutoAssignEvent.ChatQueued;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estimated wait on real PostgreSQL and Redis, the service's clock set by the test: null
 * while the pool's recent history is thin; then its position within its pool times the mean
 * time the pool took to serve the next queued chat, in the chat view, the queue listing, the
 * admins' sync and CHAT_QUEUED; outside business hours
 * the time until the opening is added; departures older than 30 minutes are forgotten.
 */
@IntegrationTest
class EstimatedWaitIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	EventRecorder events;

	@Autowired
	Engine engine;

	String company;

	Instant t0;

	final List<StompTestClient> clients = new ArrayList<>();

	@BeforeEach
	void company() {
		this.t0 = this.engine.setToAMondayAhead(8);
		this.company = Api.newCompany();
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
	}

	@AfterEach
	void resetClock() {
		this.clients.forEach(StompTestClient::close);
		this.engine.resetClock();
	}

	@Test
	void theEstimateIsThePoolPositionTimesTheRecentServiceIntervalOnceThreeChatsLeftTheQueue() {
		create("c0");
		for (int i = 1; i <= 6; i++) {
			create("c" + i);
		}
		// no history yet: no estimate, anywhere
		assertThat(this.api.get(base() + "/chats/c4").body().path("estimatedWaitSeconds").isNull()).isTrue();
		assertThat(this.api.get(base() + "/queue").body().findValues("estimatedWaitSeconds"))
			.allMatch(JsonNode::isNull);
		assertThat(this.events.of(this.company, ChatQueued.class)).extracting(ChatQueued::estimatedWaitSeconds)
			.containsOnlyNulls();

		// a serves one chat a minute: c1, c2, c3 leave the queue 60 s apart (c1 waited 60 s)
		for (int i = 1; i <= 3; i++) {
			at(60 * i);
			this.api.post(base() + "/chats/c" + (i - 1) + "/close", null);
			assertThat(status("c" + i)).isEqualTo("ASSIGNED");
		}
		at(190);
		// c4, c5, c6 are 1st, 2nd and 3rd: 60, 120, 180 s
		assertThat(this.api.get(base() + "/chats/c5").body().path("estimatedWaitSeconds").asInt()).isEqualTo(120);
		JsonNode queue = this.api.get(base() + "/queue").body();
		assertThat(queue.findValuesAsText("chatId")).containsExactly("c4", "c5", "c6");
		assertThat(queue.findValues("estimatedWaitSeconds")).extracting(JsonNode::asInt).containsExactly(60, 120, 180);
		assertThat(this.api.get(base() + "/chats?assignmentStatus=QUEUED").body().findValues("estimatedWaitSeconds"))
			.extracting(JsonNode::asInt)
			.contains(60, 120, 180);
		JsonNode sync = session("boss").subscribeOwn();
		assertThat(sync.path("queuedChats").findValues("estimatedWaitSeconds")).extracting(JsonNode::asInt)
			.containsExactly(60, 120, 180);
		// a new chat is 4th: CHAT_QUEUED says 240 s
		create("c7");
		assertThat(this.events.of(this.company, ChatQueued.class)).last()
			.extracting(ChatQueued::chatId, ChatQueued::estimatedWaitSeconds)
			.containsExactly("c7", 240);
		// an URGENT chat goes first: 60 s, and c4 is now 2nd
		assertThat(this.api.post(base() + "/chats",
				Map.of("chatId", "u1", "member", Map.of("id", "m-u1"), "priority", "URGENT"))
			.body()
			.path("estimatedWaitSeconds")
			.asInt()).isEqualTo(60);
		assertThat(this.api.get(base() + "/chats/c4").body().path("estimatedWaitSeconds").asInt()).isEqualTo(120);

		// outside business hours the estimate starts at the opening (09:00, 56 min 50 s away)
		this.api.patch(base() + "/auto-assign", Map.of("businessHoursEnabled", true, "weeklyHours",
				List.of(Map.of("day", "MONDAY", "from", "09:00", "to", "17:00"))));
		assertThat(this.api.get(base() + "/chats/c4").body().path("estimatedWaitSeconds").asInt())
			.isEqualTo(3410 + 120);
		this.api.patch(base() + "/auto-assign", Map.of("businessHoursEnabled", false));

		// 30 minutes after the second departure only one is recent: too thin again
		at(120 + 30 * 60 + 1);
		assertThat(this.api.get(base() + "/chats/c4").body().path("estimatedWaitSeconds").isNull()).isTrue();
	}

	private String status(String chatId) {
		return this.api.get(base() + "/chats/" + chatId).text("assignmentStatus");
	}

	private void at(int seconds) {
		this.engine.setNow(this.t0.plus(Duration.ofSeconds(seconds)));
	}

	private void create(String chatId) {
		Api.Response response = this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)));
		assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
	}

	private StompTestClient session(String agentId) {
		StompTestClient client = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token"));
		this.clients.add(client);
		return client;
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
