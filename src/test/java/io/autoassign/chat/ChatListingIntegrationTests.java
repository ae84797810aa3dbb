package io.autoassign.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET .../chats}: a platform that lost its records rebuilds them page by page, filters
 * what it needs, and picks up what changed since its last walk; an agent sees only its chats;
 * every bad parameter is a 400 that names it.
 */
@IntegrationTest
class ChatListingIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/b", Map.of("name", "B", "role", "AGENT"));
	}

	@AfterEach
	void clock() {
		this.engine.resetClock();
	}

	@Test
	void pagesWalkEveryChatOnceInChatIdOrder() {
		for (int i = 7; i >= 1; i--) {
			chat("c0" + i);
		}
		List<String> seen = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = list("?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), null);
			sizes.add(page.path("chats").size());
			seen.addAll(page.path("chats").findValuesAsText("chatId"));
			cursor = page.path("next").isNull() ? null : page.path("next").asText();
		}
		while (cursor != null);
		assertThat(sizes).containsExactly(3, 3, 1);
		assertThat(seen).containsExactly("c01", "c02", "c03", "c04", "c05", "c06", "c07");
	}

	@Test
	void aChatChangedBetweenPagesIsNeitherMissedNorRepeated() {
		for (String id : List.of("c01", "c02", "c03", "c04", "c05", "c06")) {
			chat(id);
		}
		JsonNode first = list("?limit=3", null);
		assertThat(first.path("chats").findValuesAsText("chatId")).containsExactly("c01", "c02", "c03");
		// meanwhile: a listed chat and a not yet listed one close, chats appear before and after the position
		close("c02");
		close("c05");
		chat("c00");
		chat("c09");
		List<String> rest = new ArrayList<>();
		String cursor = first.path("next").asText();
		while (cursor != null) {
			JsonNode page = list("?limit=3&cursor=" + cursor, null);
			rest.addAll(page.path("chats").findValuesAsText("chatId"));
			cursor = page.path("next").isNull() ? null : page.path("next").asText();
		}
		assertThat(rest).containsExactly("c04", "c05", "c06", "c09");
		// the next walk (updatedSince its start) catches the chat created behind the position
		assertThat(list("?status=OPEN", null).path("chats").findValuesAsText("chatId"))
			.containsExactly("c00", "c01", "c03", "c04", "c06", "c09");
	}

	@Test
	void filtersByStatusAssignmentStatusAgentAndGroup() {
		status("a", "ACTIVE");
		chat("c1");
		chat("c2");
		status("a", "INACTIVE");
		chat("q1");
		chat("gone");
		close("gone");
		this.api.patch(base() + "/auto-assign", Map.of("autoMenuEnabled", true));
		this.api.put(base() + "/agents/s", Map.of("name", "S", "role", "AGENT", "groupIds", List.of("sales")));
		chat("m1");
		assertThat(this.api.post(base() + "/chats/m1/menu-selection", Map.of("groupId", "sales")).status())
			.isEqualTo(202);

		assertThat(ids("?status=OPEN")).containsExactly("c1", "c2", "m1", "q1");
		assertThat(ids("?status=CLOSED")).containsExactly("gone");
		assertThat(ids("?status=OPEN&assignmentStatus=QUEUED")).containsExactly("m1", "q1");
		assertThat(ids("?agentId=a")).containsExactly("c1", "c2");
		assertThat(ids("?groupId=sales")).containsExactly("m1");
		assertThat(ids("?agentId=b")).isEmpty();
		JsonNode c1 = list("?agentId=a&limit=1", null).path("chats").get(0);
		assertThat(c1.path("assignedAgentId").asText()).isEqualTo("a");
		JsonNode q1 = list("?assignmentStatus=QUEUED&status=OPEN&limit=1&cursor="
				+ list("?assignmentStatus=QUEUED&status=OPEN&limit=1", null).path("next").asText(), null)
			.path("chats")
			.get(0);
		assertThat(q1.path("chatId").asText()).isEqualTo("q1");
		assertThat(q1.path("queuePosition").asInt()).isEqualTo(1);
	}

	@Test
	void updatedSinceListsWhatChangedStateSinceAndAMessageIsNoChangeOfState() {
		chat("c1");
		chat("c2");
		JsonNode created = this.api.get(base() + "/chats/c2").body();
		// created, then queued in the same transaction: stamped by the queueing
		assertThat(Instant.parse(created.path("updatedAt").asText()))
			.isAfterOrEqualTo(Instant.parse(created.path("createdAt").asText()));
		long version = created.path("version").asLong();
		this.engine.advance(Duration.ofMinutes(1));
		Instant since = Instant.parse(created.path("updatedAt").asText()).plusSeconds(30);
		assertThat(this.api.post(base() + "/chats/c2/messages", Map.of("sender", "MEMBER", "text", "still there"))
			.status()).isEqualTo(202);
		close("c1");

		assertThat(ids("?updatedSince=" + since)).containsExactly("c1");
		JsonNode c2 = this.api.get(base() + "/chats/c2").body();
		assertThat(c2.path("updatedAt").asText()).isEqualTo(created.path("updatedAt").asText());
		assertThat(c2.path("version").asLong()).isEqualTo(version);
		JsonNode c1 = this.api.get(base() + "/chats/c1").body();
		assertThat(c1.path("updatedAt").asText()).isEqualTo(c1.path("closedAt").asText());
		assertThat(Instant.parse(c1.path("updatedAt").asText())).isAfter(since);
	}

	@Test
	void anAgentListsOnlyTheChatsItHoldsAndAnAdminEveryChat() {
		status("a", "ACTIVE");
		chat("c1");
		status("b", "ACTIVE");
		chat("c2");
		String agent = token("a");
		String admin = token("boss");

		assertThat(list("", agent).path("chats").findValuesAsText("chatId")).containsExactly("c1");
		assertThat(this.api.send("GET", base() + "/chats?agentId=b", null, agent).status()).isEqualTo(403);
		assertThat(list("", admin).path("chats").findValuesAsText("chatId")).containsExactly("c1", "c2");
		String other = Api.newCompany();
		this.api.put("/api/v1/companies/" + other + "/agents/x", Map.of("name", "X", "role", "ADMIN"));
		String outsider = this.api.post("/api/v1/companies/" + other + "/agents/x/tokens", null).text("token");
		assertThat(this.api.send("GET", base() + "/chats", null, outsider).status()).isEqualTo(403);
	}

	@Test
	void everyBadParameterIsA400ThatNamesIt() {
		Api.Response bad = this.api.get(base() + "/chats?status=open&assignmentStatus=WAITING&limit=0"
				+ "&updatedSince=yesterday&agentId=a%20b&groupId=" + "x".repeat(100) + "&sort=chatId");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("status",
				"assignmentStatus", "limit", "updatedSince", "agentId", "groupId", "sort");
		for (String limit : List.of("1001", "abc", "-1", "0x10")) {
			assertThat(this.api.get(base() + "/chats?limit=" + limit).body().path("errors").findValuesAsText("field"))
				.as(limit)
				.containsExactly("limit");
		}
		Api.Response cursor = this.api.get(base() + "/chats?cursor=not-a-cursor");
		assertThat(cursor.status()).isEqualTo(400);
		assertThat(cursor.body().path("errors").findValuesAsText("field")).containsExactly("cursor");
		assertThat(this.api.get("/api/v1/companies/" + Api.newCompany() + "/chats").status()).isEqualTo(404);
	}

	private List<String> ids(String query) {
		return list(query, null).path("chats").findValuesAsText("chatId");
	}

	private JsonNode list(String query, String token) {
		Api.Response response = token == null ? this.api.get(base() + "/chats" + query)
				: this.api.send("GET", base() + "/chats" + query, null, token);
		assertThat(response.status()).as(query).isEqualTo(200);
		return response.body();
	}

	private String token(String agentId) {
		return this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token");
	}

	private void status(String agentId, String status) {
		assertThat(this.api.put(base() + "/agents/" + agentId + "/status", Map.of("status", status)).status())
			.isEqualTo(200);
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

	private void close(String chatId) {
		assertThat(this.api.post(base() + "/chats/" + chatId + "/close", null).status()).isEqualTo(200);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
