package io.autoassign.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.agent.TokenService;
import io.autoassign.security.Role;
import io.autoassign.security.TokenClaims;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every event type and recipient rule over a real WebSocket with a real STOMP client: who gets
 * each event and who must not, refused CONNECT and SUBSCRIBE, the sync on (re)subscribing.
 */
@IntegrationTest
class StompEventsIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	TokenService tokens;

	String company;

	final List<StompTestClient> clients = new ArrayList<>();

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/boss2", Map.of("name", "Boss 2", "role", "ADMIN"));
		for (String agent : List.of("a", "b")) {
			this.api.put(base() + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
		}
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(StompTestClient::close);
	}

	@Test
	void connectWithoutAValidTokenIsRefused() {
		String expired = this.api.post(base() + "/agents/a/tokens", Map.of("ttlMinutes", 1)).text("token");
		this.engine.advance(Duration.ofMinutes(2));
		try {
			assertThatThrownBy(() -> StompTestClient.connect(this.api.base(), Map.of())).hasMessageContaining("CONNECT");
			assertThatThrownBy(() -> StompTestClient.withToken(this.api.base(), "garbage"))
				.hasMessageContaining("CONNECT");
			assertThatThrownBy(() -> StompTestClient.withToken(this.api.base(), expired)).hasMessageContaining("expired");
			// the platform key needs the company it watches
			assertThatThrownBy(() -> StompTestClient.withToken(this.api.base(), this.api.platformKey()))
				.hasMessageContaining("company-id");
		}
		finally {
			this.engine.resetClock();
		}
	}

	@Test
	void connectedSessionsHaveHeartbeats() {
		StompTestClient agent = connect("a");
		assertThat(agent.connectedHeaders().getHeartbeat()).containsExactly(10_000, 10_000);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			no Authorization header              | CONNECT needs 'Authorization: Bearer <token>'
			another scheme than Bearer           | CONNECT needs 'Authorization: Bearer <token>'
			garbage token                        | CONNECT refused: The bearer token is not an Auto-Assign token
			malformed token                      | CONNECT refused: The bearer token is malformed
			forged token                         | CONNECT refused: The bearer token's signature is invalid
			expired token                        | CONNECT refused: The bearer token has expired
			token of an unknown agent            | CONNECT refused: The token's agent no longer exists
			token naming another role            | CONNECT refused: The token's agent no longer has the role ADMIN
			platform key without company-id      | CONNECT with the platform key needs a valid 'company-id' header
			platform key with an invalid company | CONNECT with the platform key needs a valid 'company-id' header
			""")
	void connectIsRefusedWithAnErrorFrame(String credential, String error) {
		String valid = this.api.post(base() + "/agents/a/tokens", null).text("token");
		Map<String, String> headers = switch (credential) {
			case "no Authorization header" -> Map.of();
			case "another scheme than Bearer" -> Map.of("Authorization", "Basic YWRtaW46dGVzdC1hZG1pbi1wYXNzd29yZA==");
			case "garbage token" -> bearer("garbage");
			case "malformed token" -> bearer("aa1.e30.x");
			case "forged token" -> bearer(valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA"));
			case "expired token" -> bearer(token("a", Role.AGENT, Duration.ofSeconds(-1)));
			case "token of an unknown agent" -> bearer(token("ghost", Role.AGENT, Duration.ofMinutes(5)));
			case "token naming another role" -> bearer(token("a", Role.ADMIN, Duration.ofMinutes(5)));
			case "platform key without company-id" -> bearer(this.api.platformKey());
			case "platform key with an invalid company" -> Map.of("Authorization", "Bearer " + this.api.platformKey(),
					"company-id", "no such company");
			default -> throw new IllegalArgumentException(credential);
		};
		assertThatThrownBy(() -> this.clients.add(StompTestClient.connect(this.api.base(), headers)))
			.hasMessageContaining("ERROR " + error);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/queue/auto-assign", "/queue/auto-assign-user1", "/user/{company}|b/queue/auto-assign",
			"/user/{company}|a/queue/auto-assign", "/user/{company}|~platform/queue/auto-assign",
			"/user/{other}|a/queue/auto-assign", "/user/queue/auto-assign/x", "/user/queue/other", "/topic/everything",
			"/app/x" })
	void subscribingToAnythingButTheOwnQueueIsRefused(String pattern) {
		String destination = pattern.replace("{company}", this.company).replace("{other}", Api.newCompany());
		StompTestClient agent = connect("a");
		agent.subscribe(destination);
		assertRefused(agent, "Subscribing to " + destination + " is not allowed; use /user/queue/auto-assign");
		assertThat(agent.messages()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/app/x", "/user/queue/auto-assign", "/user/{company}|a/queue/auto-assign",
			"/queue/auto-assign", "/topic/everything" })
	void sendIsRefusedAndReachesNobody(String pattern) {
		String destination = pattern.replace("{company}", this.company);
		StompTestClient a = subscribed("a");
		StompTestClient b = connect("b");
		b.send(destination, "{\"type\":\"CHAT_ASSIGNED\",\"chatId\":\"fake\",\"agentId\":\"a\"}");
		assertRefused(b, "Clients do not send on this endpoint");
		assertNever(a, "CHAT_ASSIGNED");
		assertThat(a.isConnected()).isTrue();
	}

	@Test
	void anAgentsSyncListsItsChatsButNotTheQueue() {
		status("a", "ACTIVE");
		chat("c1");
		chat("c2");
		status("a", "INACTIVE");
		chat("q1");
		StompTestClient agent = connect("a");
		JsonNode sync = agent.subscribeOwn();
		assertThat(sync.path("companyId").asText()).isEqualTo(this.company);
		assertThat(sync.path("eventId").asText()).isNotBlank();
		assertThat(sync.path("assignedChats").findValuesAsText("chatId")).containsExactly("c1", "c2");
		assertThat(sync.path("assignedChats").get(0).path("member").path("id").asText()).isEqualTo("m-c1");
		assertThat(sync.path("queuedChats")).isEmpty();
	}

	@Test
	void anAdminsSyncListsItsTakenOverChatsAndTheQueue() {
		status("a", "ACTIVE");
		chat("c1");
		this.api.post(base() + "/chats/c1/takeover", Map.of("adminId", "boss"));
		status("a", "OFFLINE");
		chat("q1");
		chat("q2");
		JsonNode sync = connect("boss").subscribeOwn();
		assertThat(sync.path("assignedChats").findValuesAsText("chatId")).containsExactly("c1");
		assertThat(sync.path("queuedChats").findValuesAsText("chatId")).containsExactly("q1", "q2");
		assertThat(sync.path("queuedChats").findValuesAsText("position")).containsExactly("1", "2");
		assertThat(sync.path("queuedChats").get(0).path("queuedAt").asText()).isNotBlank();
	}

	@Test
	void aReconnectingClientGetsAFreshSync() {
		status("a", "ACTIVE");
		StompTestClient first = connect("a");
		assertThat(first.subscribeOwn().path("assignedChats")).isEmpty();
		first.close();
		chat("c1");
		JsonNode sync = connect("a").subscribeOwn();
		assertThat(sync.path("assignedChats").findValuesAsText("chatId")).containsExactly("c1");
	}

	@Test
	void chatAssignedReachesTheAgentAndEveryAdminOnly() {
		status("a", "ACTIVE");
		StompTestClient a = subscribed("a");
		StompTestClient b = subscribed("b");
		StompTestClient boss = subscribed("boss");
		StompTestClient boss2 = subscribed("boss2");
		chat("c1");
		this.api.post(base() + "/chats/c1/messages", Map.of("sender", "MEMBER", "text", "hello"));
		JsonNode event = a.awaitEvent("CHAT_ASSIGNED", "c1");
		assertThat(event.path("agentId").asText()).isEqualTo("a");
		assertThat(event.path("companyId").asText()).isEqualTo(this.company);
		assertThat(event.path("occurredAt").asText()).endsWith("Z");
		assertThat(event.path("chat").path("member").path("name").asText()).isEqualTo("Member c1");
		assertThat(event.path("chat").path("lastMessage").path("text").asText()).isEqualTo("Hi from c1");
		assertThat(boss.awaitEvent("CHAT_ASSIGNED", "c1").path("eventId").asText()).isEqualTo(event.path("eventId").asText());
		boss2.awaitEvent("CHAT_ASSIGNED", "c1");
		assertNever(b, "CHAT_ASSIGNED");
	}

	@Test
	void chatQueuedReachesEveryAdminWithThePosition() {
		StompTestClient a = subscribed("a");
		StompTestClient boss = subscribed("boss");
		chat("q1");
		chat("q2");
		assertThat(boss.awaitEvent("CHAT_QUEUED", "q2").path("queuePosition").asInt()).isEqualTo(2);
		assertThat(boss.awaitEvent("CHAT_QUEUED", "q1").path("queuePosition").asInt()).isEqualTo(1);
		assertNever(a, "CHAT_QUEUED");
	}

	@Test
	void takeoverReachesThePreviousAgentAndEveryAdmin() {
		status("a", "ACTIVE");
		chat("c1");
		StompTestClient a = subscribed("a");
		StompTestClient b = subscribed("b");
		StompTestClient boss = subscribed("boss");
		StompTestClient boss2 = subscribed("boss2");
		this.api.post(base() + "/chats/c1/takeover", Map.of("adminId", "boss"));
		JsonNode takenOver = a.awaitEvent("CHAT_TAKEN_OVER", "c1");
		assertThat(takenOver.path("adminId").asText()).isEqualTo("boss");
		assertThat(takenOver.path("previousAgentId").asText()).isEqualTo("a");
		boss.awaitEvent("CHAT_TAKEN_OVER", "c1");
		assertThat(a.awaitEvent("CHAT_UNASSIGNED", "c1").path("reason").asText()).isEqualTo("TAKEN_OVER");
		// every admin learns who holds the chat now (an addition to the contract)
		assertThat(boss2.awaitEvent("CHAT_TAKEN_OVER", "c1").path("adminId").asText()).isEqualTo("boss");
		assertNever(b, "CHAT_TAKEN_OVER");
		assertThat(boss.received("CHAT_UNASSIGNED", "c1")).isEmpty();
	}

	@Test
	void chatUnassignedReachesOnlyThePreviousAgentWithTheReason() {
		status("a", "ACTIVE");
		chat("c1");
		StompTestClient a = subscribed("a");
		StompTestClient b = subscribed("b");
		StompTestClient boss = subscribed("boss");
		this.api.post(base() + "/chats/c1/close", null);
		JsonNode unassigned = a.awaitEvent("CHAT_UNASSIGNED", "c1");
		assertThat(unassigned.path("agentId").asText()).isEqualTo("a");
		assertThat(unassigned.path("reason").asText()).isEqualTo("CLOSED");
		assertNever(b, "CHAT_UNASSIGNED");
		assertNever(boss, "CHAT_UNASSIGNED");
	}

	@Test
	void chatClosedReachesTheAgentThatHeldItAndEveryAdmin() {
		status("a", "ACTIVE");
		chat("c1");
		StompTestClient a = subscribed("a");
		StompTestClient b = subscribed("b");
		StompTestClient boss = subscribed("boss");
		StompTestClient boss2 = subscribed("boss2");
		long before = this.api.get(base() + "/chats/c1").body().path("version").asLong();
		this.api.post(base() + "/chats/c1/close", null);
		for (StompTestClient client : List.of(a, boss, boss2)) {
			JsonNode closed = client.awaitEvent("CHAT_CLOSED", "c1");
			assertThat(closed.path("closeReason").asText()).isEqualTo("CLOSED");
			assertThat(closed.path("previousAgentId").asText()).isEqualTo("a");
			assertThat(closed.path("chat").path("status").asText()).isEqualTo("CLOSED");
			assertThat(closed.path("version").asLong()).isGreaterThan(before)
				.isEqualTo(closed.path("chat").path("version").asLong());
		}
		// the agent still gets its CHAT_UNASSIGNED (CLOSED) first, as the contract says
		List<String> toAgent = a.messages().stream().map((m) -> m.path("type").asText())
			.filter((type) -> type.equals("CHAT_UNASSIGNED") || type.equals("CHAT_CLOSED")).toList();
		assertThat(toAgent).containsExactly("CHAT_UNASSIGNED", "CHAT_CLOSED");
		assertNever(b, "CHAT_CLOSED");
	}

	@Test
	void closingAQueuedChatTellsEveryAdminThatNobodyHeldIt() {
		chat("q1");
		StompTestClient boss = subscribed("boss");
		StompTestClient a = subscribed("a");
		this.api.post(base() + "/chats/q1/close", null);
		JsonNode closed = boss.awaitEvent("CHAT_CLOSED", "q1");
		assertThat(closed.path("previousAgentId").isNull()).isTrue();
		assertThat(closed.path("chat").path("assignmentStatus").asText()).isEqualTo("QUEUED");
		assertNever(a, "CHAT_CLOSED");
	}

	@Test
	void thePlatformsSyncListsEveryOpenChatAndOthersDoNotGetThatList() {
		status("a", "ACTIVE");
		chat("c1");
		chat("c2");
		this.api.put(base() + "/agents/a/status", Map.of("status", "INACTIVE"));
		chat("q1");
		chat("gone");
		this.api.post(base() + "/chats/gone/close", null);
		StompTestClient platform = StompTestClient.connect(this.api.base(),
				Map.of("Authorization", "Bearer " + this.api.platformKey(), "company-id", this.company));
		this.clients.add(platform);
		JsonNode sync = platform.subscribeOwn();
		assertThat(sync.path("openChats").findValuesAsText("chatId")).containsExactly("c1", "c2", "q1");
		assertThat(sync.path("openChats").findValuesAsText("assignmentStatus"))
			.containsExactly("ASSIGNED", "ASSIGNED", "QUEUED");
		assertThat(sync.has("openChatsNext")).isFalse();
		assertThat(sync.path("assignedChats")).isEmpty();
		JsonNode adminSync = subscribed("boss").messages().get(0);
		assertThat(adminSync.path("type").asText()).isEqualTo("CHAT_ASSIGNMENT_SYNC");
		assertThat(adminSync.has("openChats")).isFalse();
	}

	@Test
	void bulkReassignmentReachesEveryAgentAndAdminOfTheCompanyOnly() {
		this.api.patch(base() + "/auto-assign", Map.of("offlineGracePeriodMinutes", 0, "maxChatsPerAgent", 2));
		status("a", "ACTIVE");
		chat("c1");
		chat("c2");
		status("b", "ACTIVE");
		chat("c3");
		String other = Api.newCompany();
		this.api.put("/api/v1/companies/" + other + "/agents/x", Map.of("name", "X", "role", "ADMIN"));
		StompTestClient outsider = StompTestClient.withToken(this.api.base(),
				this.api.post("/api/v1/companies/" + other + "/agents/x/tokens", null).text("token"));
		this.clients.add(outsider);
		outsider.subscribeOwn();
		StompTestClient a = subscribed("a");
		StompTestClient b = subscribed("b");
		StompTestClient boss = subscribed("boss");
		status("a", "OFFLINE");
		this.engine.runDueJobs(this.company);
		for (StompTestClient client : List.of(a, b, boss)) {
			JsonNode summary = client.awaitEvent("AGENT_CHATS_REASSIGNED", null);
			assertThat(summary.path("agentId").asText()).isEqualTo("a");
			assertThat(summary.path("reassigned").findValuesAsText("chatId")).containsExactly("c1");
			assertThat(summary.path("reassigned").findValuesAsText("agentId")).containsExactly("b");
			assertThat(summary.path("queued").findValuesAsText("chatId")).containsExactly("c2");
			assertThat(summary.path("queued").findValuesAsText("queuePosition")).containsExactly("1");
		}
		assertThat(a.received("CHAT_UNASSIGNED", null)).extracting((e) -> e.path("reason").asText())
			.containsOnly("AGENT_OFFLINE");
		assertNever(outsider, "AGENT_CHATS_REASSIGNED");
		assertThat(outsider.messages()).extracting((m) -> m.path("type").asText()).containsOnly("CHAT_ASSIGNMENT_SYNC");
	}

	@Test
	void thePlatformWatchesACompanyAsAnAdmin() {
		StompTestClient platform = StompTestClient.connect(this.api.base(),
				Map.of("Authorization", "Bearer " + this.api.platformKey(), "company-id", this.company));
		this.clients.add(platform);
		platform.subscribeOwn();
		chat("q1");
		assertThat(platform.awaitEvent("CHAT_QUEUED", "q1").path("queuePosition").asInt()).isEqualTo(1);
	}

	@Test
	void aChatsEventsArriveInOrderWithUniqueIds() {
		status("a", "ACTIVE");
		StompTestClient boss = subscribed("boss");
		StompTestClient a = subscribed("a");
		for (int i = 0; i < 10; i++) {
			chat("o" + i);
			this.api.post(base() + "/chats/o" + i + "/takeover", Map.of("adminId", "boss"));
			this.api.post(base() + "/chats/o" + i + "/close", null);
		}
		a.awaitEvent("CHAT_UNASSIGNED", "o9");
		boss.awaitEvent("CHAT_TAKEN_OVER", "o9");
		for (int i = 0; i < 10; i++) {
			String chat = "o" + i;
			List<String> types = a.messages().stream().filter((m) -> chat.equals(m.path("chatId").asText()))
				.map((m) -> m.path("type").asText() + (m.has("reason") ? ":" + m.path("reason").asText() : ""))
				.toList();
			assertThat(types).containsExactly("CHAT_ASSIGNED", "CHAT_TAKEN_OVER", "CHAT_UNASSIGNED:TAKEN_OVER");
		}
		Set<String> ids = new HashSet<>();
		boss.messages().forEach((m) -> assertThat(ids.add(m.path("eventId").asText())).isTrue());
	}

	// ---- helpers

	/**
	 * The server refused a frame: it answers with an ERROR frame with this message and closes the
	 * connection. (The ERROR frame may lose the race with the close when the server was still
	 * flushing an earlier frame such as CONNECTED: Spring's session decorator drops what it has
	 * buffered once the close has begun. The connection is refused either way.)
	 */
	private static void assertRefused(StompTestClient client, String message) {
		await("refusal: " + message).atMost(Duration.ofSeconds(10))
			.until(() -> !client.errors().isEmpty() && !client.isConnected());
		assertThat(client.errors()).anySatisfy((error) -> assertThat(error).containsAnyOf("ERROR", "closed"));
		assertThat(client.errors()).filteredOn((error) -> error.startsWith("ERROR"))
			.allSatisfy((error) -> assertThat(error).isEqualTo("ERROR " + message));
	}

	/** Asserts that no event of the type arrives within a second. */
	private static void assertNever(StompTestClient client, String type) {
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
			.until(() -> client.received(type, null).isEmpty());
	}

	private static Map<String, String> bearer(String credential) {
		return Map.of("Authorization", "Bearer " + credential);
	}

	/** A genuinely signed token for an agent of the company with any role and expiry. */
	private String token(String agentId, Role role, Duration expiresIn) {
		return this.tokens.issue(new TokenClaims(this.company, agentId, role, Instant.now().plus(expiresIn))).token();
	}

	private StompTestClient connect(String agentId) {
		String token = this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token");
		StompTestClient client = StompTestClient.withToken(this.api.base(), token);
		this.clients.add(client);
		return client;
	}

	private StompTestClient subscribed(String agentId) {
		StompTestClient client = connect(agentId);
		client.subscribeOwn();
		return client;
	}

	private void status(String agentId, String status) {
		assertThat(this.api.put(base() + "/agents/" + agentId + "/status", Map.of("status", status)).status())
			.isEqualTo(200);
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member",
				Map.of("id", "m-" + chatId, "name", "Member " + chatId), "message", "Hi from " + chatId)).status())
			.isEqualTo(201);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
