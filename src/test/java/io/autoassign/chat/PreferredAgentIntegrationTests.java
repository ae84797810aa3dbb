package io.autoassign.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Preferred and returning-customer agents on real PostgreSQL and Redis (the service's clock set
 * by the test): the preferred agent gets the chat when it may take it now, whatever the strategy
 * would pick; a busy one makes the chat wait in "Waiting for the preferred agent" until it frees a
 * slot or the wait ends, then the strategy decides; it never takes the chat before an older queued
 * chat it could serve; a returning member prefers the agent of its latest chat within the window;
 * a named agent wins; bad ids are a 400 naming the field; the invariant checker stays clean.
 */
@IntegrationTest
class PreferredAgentIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	InvariantChecker invariants;

	String company;

	Instant t0;

	@BeforeEach
	void company() {
		this.t0 = this.engine.now().plus(Duration.ofDays(2));
		this.engine.setNow(this.t0);
		this.company = Api.newCompany();
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1, "strategy", "least_busy"));
		for (String agent : List.of("a", "b")) {
			this.api.put(base() + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
			this.api.put(base() + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
		}
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
	}

	@AfterEach
	void consistent() {
		try {
			assertThat(this.invariants.check(this.company).violations()).isEmpty();
		}
		finally {
			this.engine.resetClock();
		}
	}

	@Test
	void aFreePreferredAgentGetsTheChatAndTheViewSaysWhy() {
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 2));
		String first = create("c1", null).text("assignedAgentId");
		// least busy would pick the other agent; the chat that prefers the busier one gets it
		JsonNode chat = create("c2", first).body();
		assertThat(chat.path("assignedAgentId").asText()).isEqualTo(first);
		assertThat(chat.path("preferredAgentId").asText()).isEqualTo(first);
		assertThat(chat.path("preference").asText()).isEqualTo("REQUESTED");
		assertThat(this.api.get(base() + "/chats/c1").body().path("preferredAgentId").isNull()).isTrue();
	}

	@Test
	void withoutAWaitABusyPreferredAgentLeavesTheChatToTheStrategy() {
		create("c1", "b");
		JsonNode chat = create("c2", "b").body();
		assertThat(chat.path("assignedAgentId").asText()).isEqualTo("a");
		assertThat(chat.path("preferredAgentId").asText()).isEqualTo("b");
	}

	@Test
	void aChatWaitsForItsBusyPreferredAgentAndGetsItTheMomentItFreesASlot() {
		this.api.patch(base() + "/auto-assign", Map.of("preferredAgentWaitSeconds", 120));
		create("c1", "b");
		JsonNode waiting = create("c2", "b").body();
		assertThat(waiting.path("assignmentStatus").asText()).isEqualTo("PENDING");
		assertThat(waitsAt("c2")).containsExactly(ChatLifecycleProcess.Element.Task_WaitPreferred.name());
		// a is free, but the chat waits for b
		assertThat(this.api.get(base() + "/agents/a").body().path("activeChats").asInt()).isZero();

		this.engine.setNow(this.t0.plusSeconds(30));
		this.api.post(base() + "/chats/c1/close", null);
		JsonNode served = this.api.get(base() + "/chats/c2").body();
		assertThat(served.path("assignmentStatus").asText()).isEqualTo("ASSIGNED");
		assertThat(served.path("assignedAgentId").asText()).isEqualTo("b");
		// the wait's timer went with it
		this.engine.setNow(this.t0.plusSeconds(600));
		this.engine.runDueJobs(this.company);
		assertThat(this.api.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("b");
	}

	@Test
	void aChatWaitingForAnInactivePreferredAgentGetsItWhenItComesBack() {
		this.api.patch(base() + "/auto-assign", Map.of("preferredAgentWaitSeconds", 120));
		this.api.put(base() + "/agents/b/status", Map.of("status", "INACTIVE"));
		assertThat(create("c1", "b").text("assignmentStatus")).isEqualTo("PENDING");
		this.api.put(base() + "/agents/b/status", Map.of("status", "ACTIVE"));
		assertThat(this.api.get(base() + "/chats/c1").text("assignedAgentId")).isEqualTo("b");
	}

	@Test
	void whenTheWaitEndsTheStrategyDecidesAndAnOlderQueuedChatComesFirst() {
		this.api.patch(base() + "/auto-assign", Map.of("preferredAgentWaitSeconds", 60));
		create("c1", "b");
		create("c2", "b");
		assertThat(status("c2")).isEqualTo("PENDING");
		// the wait runs out: the strategy gives the chat to a
		this.engine.setNow(this.t0.plusSeconds(59));
		assertThat(this.engine.runDueJobs(this.company)).isZero();
		this.engine.setNow(this.t0.plusSeconds(61));
		this.engine.runDueJobs(this.company);
		assertThat(this.api.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("a");

		// both full: c3 queues; c4 waits for b; b frees a slot: the older queued c3 gets it
		create("c3", null);
		assertThat(status("c3")).isEqualTo("QUEUED");
		create("c4", "b");
		assertThat(status("c4")).isEqualTo("PENDING");
		this.api.post(base() + "/chats/c1/close", null);
		assertThat(this.api.get(base() + "/chats/c3").text("assignedAgentId")).isEqualTo("b");
		assertThat(status("c4")).isEqualTo("PENDING");
		assertThat(waitsAt("c4")).containsExactly(ChatLifecycleProcess.Element.Task_WaitPreferred.name());
		// its deadline is its own: 60 s after its first look, not renewed by the wake-up
		this.engine.setNow(this.t0.plusSeconds(61 + 61));
		this.engine.runDueJobs(this.company);
		assertThat(status("c4")).isEqualTo("QUEUED");
	}

	@Test
	void aReturningMemberPrefersTheAgentOfItsLatestChatWithinTheWindowAndANamedAgentWins() {
		this.api.patch(base() + "/auto-assign", Map.of("stickyAgentEnabled", true, "stickyWindowDays", 7,
				"maxChatsPerAgent", 5));
		String first = this.api.post(base() + "/chats", Map.of("chatId", "m1-first", "member", Map.of("id", "m1")))
			.text("assignedAgentId");
		this.api.post(base() + "/chats/m1-first/close", null);
		String other = first.equals("a") ? "b" : "a";
		// make the first agent the busier one, so that least busy alone would not pick it
		create("load", first);

		this.engine.setNow(this.t0.plus(Duration.ofDays(6)));
		JsonNode back = this.api.post(base() + "/chats", Map.of("chatId", "m1-back", "member", Map.of("id", "m1")))
			.body();
		assertThat(back.path("assignedAgentId").asText()).isEqualTo(first);
		assertThat(back.path("preference").asText()).isEqualTo("RETURNING_MEMBER");
		this.api.post(base() + "/chats/m1-back/close", null);

		JsonNode named = this.api.post(base() + "/chats",
				Map.of("chatId", "m1-named", "member", Map.of("id", "m1"), "preferredAgentId", other))
			.body();
		assertThat(named.path("assignedAgentId").asText()).isEqualTo(other);
		assertThat(named.path("preference").asText()).isEqualTo("REQUESTED");
		this.api.post(base() + "/chats/m1-named/close", null);

		// beyond the window: no preference
		this.engine.setNow(this.t0.plus(Duration.ofDays(6 + 8)));
		JsonNode late = this.api.post(base() + "/chats", Map.of("chatId", "m1-late", "member", Map.of("id", "m1")))
			.body();
		assertThat(late.path("preferredAgentId").isNull()).isTrue();
		assertThat(late.path("preference").isNull()).isTrue();
		// sticky off: no preference either
		this.api.patch(base() + "/auto-assign", Map.of("stickyAgentEnabled", false));
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", "m1-off", "member", Map.of("id", "m1")))
			.body()
			.path("preferredAgentId")
			.isNull()).isTrue();
	}

	@Test
	void anUnknownOrNonAgentPreferredAgentIsRefusedNamingTheField() {
		for (String bad : List.of("ghost", "boss")) {
			Api.Response refused = this.api.post(base() + "/chats",
					Map.of("chatId", "x-" + bad, "member", Map.of("id", "m"), "preferredAgentId", bad));
			assertThat(refused.status()).as(bad).isEqualTo(400);
			assertThat(refused.raw().body()).contains("preferredAgentId");
			assertThat(this.api.get(base() + "/chats/x-" + bad).status()).isEqualTo(404);
		}
		Api.Response malformed = this.api.post(base() + "/chats",
				Map.of("chatId", "x-bad", "member", Map.of("id", "m"), "preferredAgentId", "no spaces"));
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.raw().body()).contains("preferredAgentId");
		for (Map<String, Object> config : List.<Map<String, Object>>of(Map.of("stickyWindowDays", 0),
				Map.of("stickyWindowDays", 366), Map.of("preferredAgentWaitSeconds", 601),
				Map.of("preferredAgentWaitSeconds", -1), Map.of("stickyAgentEnabled", "yes"))) {
			Api.Response refused = this.api.patch(base() + "/auto-assign", config);
			assertThat(refused.status()).as(config.toString()).isEqualTo(400);
			assertThat(refused.raw().body()).contains(config.keySet().iterator().next());
		}
	}

	private List<String> waitsAt(String chatId) {
		String instance = this.engine.runtime()
			.createProcessInstanceQuery()
			.processInstanceBusinessKey(chatId)
			.tenantIdIn(this.company)
			.singleResult()
			.getId();
		return this.engine.runtime().getActiveActivityIds(instance).stream()
			.filter((id) -> !id.startsWith("Timer_") && !id.startsWith("Gateway_"))
			.filter((id) -> id.startsWith("Task_Wait"))
			.toList();
	}

	private String status(String chatId) {
		return this.api.get(base() + "/chats/" + chatId).text("assignmentStatus");
	}

	private Api.Response create(String chatId, String preferred) {
		Map<String, Object> body = preferred == null ? Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId))
				: Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId), "preferredAgentId", preferred);
		Api.Response response = this.api.post(base() + "/chats", body);
		assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
		return response;
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
