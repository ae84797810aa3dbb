package io.autoassign.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.autoassign.agent.TokenService;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract's authorization rules as one table: every {@code /api/v1} endpoint (some more
 * than once, e.g. for an unknown resource) against every kind of caller, with the exact status
 * each cell must answer. Each cell is a test of its own named {@code endpoint × caller}; every
 * error must be a problem document.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationIntegrationTests {

	private static final String COMPANY = "/api/v1/companies/{companyId}";

	private static final String CONFIG = COMPANY + "/auto-assign";

	private static final String HOURS = COMPANY + "/business-hours";

	private static final String AGENTS = COMPANY + "/agents";

	private static final String AGENT = AGENTS + "/{agentId}";

	private static final String STATUS = AGENT + "/status";

	private static final String TOKENS = AGENT + "/tokens";

	private static final String CHATS = COMPANY + "/chats";

	private static final String CHAT = CHATS + "/{chatId}";

	private static final String MESSAGES = CHAT + "/messages";

	private static final String MENU_SELECTION = CHAT + "/menu-selection";

	private static final String TAKEOVER = CHAT + "/takeover";

	private static final String CLOSE = CHAT + "/close";

	private static final String PRIORITY = CHAT + "/priority";

	private static final String QUEUE = COMPANY + "/queue";

	private static final String WEBHOOKS = COMPANY + "/webhooks";

	private static final String WEBHOOK = WEBHOOKS + "/{webhookId}";

	private static final String DELIVERIES = WEBHOOK + "/deliveries";

	private static final String DELIVERY = DELIVERIES + "/{deliveryId}";

	private static final String REDELIVER = DELIVERY + "/redeliver";

	/** Neither agent, chat nor company of this id exists. */
	private static final String GHOST = "ghost";

	@Autowired
	Api api;

	@Autowired
	TokenService tokens;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	private final String company = Api.newCompany();

	private final String otherCompany = Api.newCompany();

	private final String unknownCompany = Api.newCompany();

	/**
	 * The authenticated callers, in the order of the table's columns. {@code agent} is ag1, to
	 * whom the rows' resources (status, chat c1) belong; {@code otherAgent} is ag2 of the same
	 * company. The other company has agents of the same ids.
	 */
	private final Map<String, String> callers = new LinkedHashMap<>();

	/** Credentials that authenticate nobody: 401 on every row. */
	private final Map<String, String> invalid = new LinkedHashMap<>();

	private String closedChat;

	private final WebhookReceiver receiver = WebhookReceiver.started();

	/** A delivery of webhook "wh" of the company. */
	private String deliveryId;

	@BeforeAll
	void setUp() {
		for (String c : new String[] { this.company, this.otherCompany }) {
			this.api.put("/api/v1/companies/" + c + "/agents/adm", Map.of("name", "Admin", "role", "ADMIN"));
			this.api.put("/api/v1/companies/" + c + "/agents/ag1", Map.of("name", "One", "role", "AGENT"));
			this.api.put("/api/v1/companies/" + c + "/agents/ag2", Map.of("name", "Two", "role", "AGENT"));
			// menu selections name "sales": a group an agent belongs to
			this.api.put("/api/v1/companies/" + c + "/agents/sal",
					Map.of("name", "Sales", "role", "AGENT", "groupIds", List.of("sales")));
		}
		this.api.put("/api/v1/companies/" + this.company + "/agents/ag1/status", Map.of("status", "ACTIVE"));
		assertThat(chat("c1").text("assignedAgentId")).isEqualTo("ag1");
		this.closedChat = newChat();
		assertThat(this.api.post("/api/v1/companies/" + this.company + "/chats/" + this.closedChat + "/close", null)
			.text("status")).isEqualTo("CLOSED");

		assertThat(this.api.put("/api/v1/companies/" + this.company + "/webhooks/wh", webhookRequest()).status())
			.isEqualTo(201);
		chat("c-for-the-webhook");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.api.get("/api/v1/companies/" + this.company
				+ "/webhooks/wh/deliveries").body().path("deliveries").size() > 0);
		this.deliveryId = this.api.get("/api/v1/companies/" + this.company + "/webhooks/wh/deliveries")
			.body()
			.path("deliveries")
			.get(0)
			.path("deliveryId")
			.asText();

		this.callers.put("platform", "Bearer " + this.api.platformKey());
		this.callers.put("admin", "Bearer " + token(this.company, "adm"));
		this.callers.put("agent", "Bearer " + token(this.company, "ag1"));
		this.callers.put("otherAgent", "Bearer " + token(this.company, "ag2"));
		this.callers.put("otherCompanyAdmin", "Bearer " + token(this.otherCompany, "adm"));
		this.callers.put("otherCompanyAgent", "Bearer " + token(this.otherCompany, "ag1"));

		String valid = token(this.company, "adm");
		this.invalid.put("noCredentials", null);
		this.invalid.put("basicScheme", "Basic " + Base64.getEncoder()
			.encodeToString(("admin:test-admin-password").getBytes(StandardCharsets.UTF_8)));
		this.invalid.put("emptyBearer", "Bearer ");
		this.invalid.put("garbageToken", "Bearer garbage");
		this.invalid.put("malformedToken", "Bearer aa1.e30.AAAA");
		this.invalid.put("expiredToken", "Bearer " + claims(this.company, "adm", Role.ADMIN, Duration.ofMinutes(-1)));
		this.invalid.put("forgedToken",
				"Bearer " + valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA"));
		this.invalid.put("tokenWithAnotherRole", "Bearer " + claims(this.company, "ag1", Role.ADMIN, Duration.ofMinutes(5)));
		this.invalid.put("tokenOfUnknownAgent", "Bearer " + claims(this.company, GHOST, Role.ADMIN, Duration.ofMinutes(5)));
		this.invalid.put("platformKeyWithSuffix", "Bearer " + this.api.platformKey() + "x");
	}

	/**
	 * The table. Columns: platform, admin, agent (its own resources), otherAgent, admin of another
	 * company, agent of another company; every credential in {@link #invalid} gets 401 on every row.
	 */
	private List<Row> table() {
		Map<String, Object> newAgent = Map.of("name", "N", "role", "AGENT");
		Map<String, Object> message = Map.of("sender", "MEMBER", "text", "hello");
		Map<String, Object> asAdmin = Map.of("adminId", "adm");
		return List.of(
				// configuration                                        platform admin agent other  otherCo otherCo
				//                                                                                 admin  agent
				row("GET", CONFIG).expect(                              200, 200, 403, 403, 403, 403),
				row("GET", CONFIG, "unknown company: the defaults").company(this.unknownCompany)
					.expect(                                            200, 403, 403, 403, 403, 403),
				row("PUT", CONFIG).body(Map.of()).expect(               200, 200, 403, 403, 403, 403),
				row("PATCH", CONFIG).body(Map.of()).expect(             200, 200, 403, 403, 403, 403),
				row("GET", HOURS).expect(                               200, 200, 200, 200, 403, 403),
				row("GET", HOURS, "unknown company: always open").company(this.unknownCompany)
					.expect(                                            200, 403, 403, 403, 403, 403),
				// agents
				row("PUT", AGENT, "new agent").agent(() -> "new-" + UUID.randomUUID()).body(newAgent)
					.expect(                                            201, 403, 403, 403, 403, 403),
				row("PUT", AGENT, "existing agent").agent("ag2").body(Map.of("name", "Two", "role", "AGENT"))
					.expect(                                            200, 403, 403, 403, 403, 403),
				row("DELETE", AGENT, "an agent made for the cell").agent(this::newAgent)
					.expect(                                            204, 403, 403, 403, 403, 403),
				row("DELETE", AGENT, "unknown agent").agent(GHOST).expect(404, 403, 403, 403, 403, 403),
				row("PUT", STATUS, "the agent's own").body(Map.of("status", "ACTIVE"))
					.expect(                                            200, 403, 200, 403, 403, 403),
				row("PUT", STATUS, "the admin's own").agent("adm").body(Map.of("status", "ACTIVE"))
					.expect(                                            200, 200, 403, 403, 403, 403),
				row("PUT", STATUS, "unknown agent").agent(GHOST).body(Map.of("status", "ACTIVE"))
					.expect(                                            404, 403, 403, 403, 403, 403),
				row("GET", AGENTS).expect(                              200, 200, 403, 403, 403, 403),
				row("GET", AGENTS, "unknown company").company(this.unknownCompany)
					.expect(                                            404, 403, 403, 403, 403, 403),
				row("GET", AGENT).expect(                               200, 200, 403, 403, 403, 403),
				row("GET", AGENT, "unknown agent").agent(GHOST).expect( 404, 404, 403, 403, 403, 403),
				row("POST", TOKENS).expect(                             201, 403, 403, 403, 403, 403),
				row("POST", TOKENS, "unknown agent").agent(GHOST).expect(404, 403, 403, 403, 403, 403),
				// chats
				row("POST", CHATS, "new chat").body(() -> newChatRequest("n-" + UUID.randomUUID()))
					.expect(                                            201, 403, 403, 403, 403, 403),
				row("POST", CHATS, "existing chatId").body(() -> newChatRequest("c1"))
					.expect(                                            200, 403, 403, 403, 403, 403),
				row("POST", CHATS, "unknown company").company(this.unknownCompany)
					.body(() -> newChatRequest("n-" + UUID.randomUUID()))
					.expect(                                            404, 403, 403, 403, 403, 403),
				row("GET", CHATS, "listing (an agent: its own chats)").expect(200, 200, 200, 200, 403, 403),
				row("GET", CHATS, "listing another agent's chats").query("?agentId=ag1")
					.expect(                                            200, 200, 200, 403, 403, 403),
				row("GET", CHATS, "listing, unknown company").company(this.unknownCompany)
					.expect(                                            404, 403, 403, 403, 403, 403),
				row("GET", CHAT, "assigned to the agent").expect(       200, 200, 200, 403, 403, 403),
				row("GET", CHAT, "unknown chat").chat(GHOST).expect(    404, 404, 404, 404, 403, 403),
				row("POST", MESSAGES).body(message).expect(             202, 403, 403, 403, 403, 403),
				row("POST", MESSAGES, "unknown chat").chat(GHOST).body(message)
					.expect(                                            404, 403, 403, 403, 403, 403),
				row("POST", MENU_SELECTION, "chat waiting for it").chat(this::chatWaitingForMenu)
					.body(Map.of("groupId", "sales")).expect(           202, 403, 403, 403, 403, 403),
				row("POST", MENU_SELECTION, "chat not waiting for it").body(Map.of("groupId", "sales"))
					.expect(                                            409, 403, 403, 403, 403, 403),
				row("POST", TAKEOVER, "by adm").chat(this::newChat).body(asAdmin)
					.expect(                                            200, 200, 403, 403, 403, 403),
				row("POST", TAKEOVER, "without adminId (an admin: itself)").chat(this::newChat).body(Map.of())
					.expect(                                            400, 200, 403, 403, 403, 403),
				row("POST", TAKEOVER, "by an agent (adminId ag1)").chat(this::newChat).body(Map.of("adminId", "ag1"))
					.expect(                                            403, 403, 403, 403, 403, 403),
				row("POST", TAKEOVER, "closed chat").chat(() -> this.closedChat).body(asAdmin)
					.expect(                                            409, 409, 403, 403, 403, 403),
				row("POST", TAKEOVER, "unknown chat").chat(GHOST).body(asAdmin)
					.expect(                                            404, 404, 403, 403, 403, 403),
				row("PUT", PRIORITY).chat(this::newChat).body(Map.of("priority", "HIGH"))
					.expect(                                            200, 200, 403, 403, 403, 403),
				row("PUT", PRIORITY, "closed chat").chat(() -> this.closedChat).body(Map.of("priority", "HIGH"))
					.expect(                                            409, 409, 403, 403, 403, 403),
				row("PUT", PRIORITY, "unknown chat").chat(GHOST).body(Map.of("priority", "HIGH"))
					.expect(                                            404, 404, 403, 403, 403, 403),
				row("POST", CLOSE).chat(this::newChat).expect(          200, 403, 403, 403, 403, 403),
				row("POST", CLOSE, "already closed").chat(() -> this.closedChat)
					.expect(                                            200, 403, 403, 403, 403, 403),
				row("POST", CLOSE, "unknown chat").chat(GHOST).expect(  404, 403, 403, 403, 403, 403),
				// queue
				row("GET", QUEUE).expect(                               200, 200, 403, 403, 403, 403),
				row("GET", QUEUE, "unknown company").company(this.unknownCompany)
					.expect(                                            404, 403, 403, 403, 403, 403),
				// webhooks
				row("PUT", WEBHOOK, "new webhook").webhook(() -> "w-" + UUID.randomUUID().toString().substring(0, 8))
					.body(webhookRequest()).expect(                     201, 201, 403, 403, 403, 403),
				row("PUT", WEBHOOK, "existing webhook").body(Map.of("url", this.receiver.url()))
					.expect(                                            200, 200, 403, 403, 403, 403),
				row("GET", WEBHOOKS).expect(                            200, 200, 403, 403, 403, 403),
				row("GET", WEBHOOKS, "unknown company").company(this.unknownCompany)
					.expect(                                            404, 403, 403, 403, 403, 403),
				row("GET", WEBHOOK).expect(                             200, 200, 403, 403, 403, 403),
				row("GET", WEBHOOK, "unknown webhook").webhook(GHOST).expect(404, 404, 403, 403, 403, 403),
				row("DELETE", WEBHOOK, "a webhook made for the cell").webhook(this::newWebhook)
					.expect(                                            204, 204, 403, 403, 403, 403),
				row("GET", DELIVERIES).expect(                          200, 200, 403, 403, 403, 403),
				row("GET", DELIVERY).expect(                            200, 200, 403, 403, 403, 403),
				row("POST", REDELIVER).expect(                          202, 202, 403, 403, 403, 403));
	}

	@TestFactory
	Stream<DynamicContainer> everyEndpointAnswersEachCallerAsTheContractSays() {
		return table().stream().map((row) -> {
			List<DynamicTest> cells = new ArrayList<>();
			int column = 0;
			for (Map.Entry<String, String> caller : this.callers.entrySet()) {
				int expected = row.expected[column++];
				cells.add(DynamicTest.dynamicTest(caller.getKey(), () -> assertCell(row, caller, expected)));
			}
			for (Map.Entry<String, String> caller : this.invalid.entrySet()) {
				cells.add(DynamicTest.dynamicTest(caller.getKey(), () -> assertCell(row, caller, 401)));
			}
			return DynamicContainer.dynamicContainer(row.toString(), cells);
		});
	}

	@Test
	void theTableCoversEveryEndpoint() {
		Set<String> endpoints = new TreeSet<>();
		this.mappings.getHandlerMethods().keySet().forEach((info) -> info.getPatternValues().stream()
			.filter((pattern) -> pattern.startsWith("/api/"))
			.forEach((pattern) -> info.getMethodsCondition().getMethods()
				.forEach((method) -> endpoints.add(method.name() + " " + pattern))));
		Set<String> covered = new TreeSet<>();
		table().forEach((row) -> covered.add(row.method + " " + row.pattern));
		assertThat(endpoints).contains("GET " + CHAT, "POST " + TAKEOVER);
		assertThat(covered).isEqualTo(endpoints);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/./agents", "/x/../agents", "/agents;role=ADMIN", "//agents", "/agents/ag1%3Bx" })
	void urlsTheFirewallRefusesAreBadRequestProblems(String suffix) {
		String path = "/api/v1/companies/" + this.company + suffix;
		for (String caller : new String[] { this.callers.get("platform"), null }) {
			Api.Response response = this.api.sendAuthorized("GET", path, null, caller);
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.contentType()).as(path).startsWith("application/problem+json");
			assertThat(response.body().path("status").asInt()).as(path).isEqualTo(400);
		}
	}

	@Test
	void anotherSchemeThanBearerIs401() {
		Api.Response response = this.api.sendAuthorized("GET", "/api/v1/companies/" + this.company + "/auto-assign",
				null, this.invalid.get("basicScheme"));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith("Bearer"));
	}

	@Test
	void aTokenStopsWorkingWhenItsAgentChangesRole() {
		String token = token(this.company, "ag2");
		this.api.put("/api/v1/companies/" + this.company + "/agents/ag2", Map.of("name", "Two", "role", "ADMIN"));
		assertThat(this.api.send("PUT", "/api/v1/companies/" + this.company + "/agents/ag2/status",
				Map.of("status", "INACTIVE"), token).status()).isEqualTo(401);
		this.api.put("/api/v1/companies/" + this.company + "/agents/ag2", Map.of("name", "Two", "role", "AGENT"));
	}

	@Test
	void tokensExpireAsAskedAndALifetimeAboveTheCapIsRefused() {
		Api.Response shortLived = this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens",
				Map.of("ttlMinutes", 5));
		assertThat(shortLived.status()).isEqualTo(201);
		assertThat(Instant.parse(shortLived.text("expiresAt"))).isBetween(Instant.now().plusSeconds(240),
				Instant.now().plusSeconds(301));
		Api.Response atTheCap = this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens",
				Map.of("ttlMinutes", 720));
		assertThat(atTheCap.status()).isEqualTo(201);
		assertThat(Instant.parse(atTheCap.text("expiresAt"))).isBefore(Instant.now().plus(Duration.ofHours(12)).plusSeconds(5));
		// above the cap (12 h here): refused, naming the cap, rather than cut short behind the caller's back
		Api.Response aboveTheCap = this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens",
				Map.of("ttlMinutes", 525_600));
		assertThat(aboveTheCap.status()).isEqualTo(400);
		assertThat(aboveTheCap.body().path("errors").get(0).path("field").asText()).isEqualTo("ttlMinutes");
		assertThat(aboveTheCap.body().path("errors").get(0).path("message").asText()).contains("720");
		assertThat(this.api.post("/api/v1/companies/" + this.company + "/agents/ghost/tokens", null).status())
			.isEqualTo(404);
		assertThat(this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens", Map.of("ttlMinutes", 0))
			.status()).isEqualTo(400);
	}

	private void assertCell(Row row, Map.Entry<String, String> caller, int expected) {
		String cell = row + " × " + caller.getKey();
		Api.Response response = this.api.sendAuthorized(row.method, row.path(), row.body.get(), caller.getValue());
		assertThat(response.status()).as("%s: %s", cell, response.raw().body()).isEqualTo(expected);
		if (expected >= 400) {
			assertThat(response.contentType()).as("%s: content type", cell).startsWith("application/problem+json");
			assertThat(response.body().path("status").asInt()).as("%s: problem status", cell).isEqualTo(expected);
		}
		if (expected == 401) {
			assertThat(response.raw().headers().firstValue("WWW-Authenticate")).as("%s: WWW-Authenticate", cell)
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
		}
	}

	/** One line of the table: an endpoint, the resources it is called on, and its expected statuses. */
	private final class Row {

		final String method;

		final String pattern;

		final String variant;

		Supplier<String> companyId = () -> AuthorizationIntegrationTests.this.company;

		Supplier<String> agentId = () -> "ag1";

		Supplier<String> chatId = () -> "c1";

		Supplier<String> webhookId = () -> "wh";

		Supplier<Object> body = () -> null;

		String query = "";

		int[] expected;

		Row(String method, String pattern, String variant) {
			this.method = method;
			this.pattern = pattern;
			this.variant = variant;
		}

		Row company(String companyId) {
			this.companyId = () -> companyId;
			return this;
		}

		Row agent(String agentId) {
			return agent(() -> agentId);
		}

		Row agent(Supplier<String> agentId) {
			this.agentId = agentId;
			return this;
		}

		Row chat(String chatId) {
			return chat(() -> chatId);
		}

		Row chat(Supplier<String> chatId) {
			this.chatId = chatId;
			return this;
		}

		Row webhook(String webhookId) {
			return webhook(() -> webhookId);
		}

		Row webhook(Supplier<String> webhookId) {
			this.webhookId = webhookId;
			return this;
		}

		Row body(Object body) {
			return body(() -> body);
		}

		Row query(String query) {
			this.query = query;
			return this;
		}

		Row body(Supplier<Object> body) {
			this.body = body;
			return this;
		}

		Row expect(int platform, int admin, int agent, int otherAgent, int otherCompanyAdmin, int otherCompanyAgent) {
			this.expected = new int[] { platform, admin, agent, otherAgent, otherCompanyAdmin, otherCompanyAgent };
			return this;
		}

		/** The request path; resources that must be fresh are made here, for each cell. */
		String path() {
			return this.pattern.replace("{companyId}", this.companyId.get())
				.replace("{agentId}", this.pattern.contains("{agentId}") ? this.agentId.get() : "")
				.replace("{chatId}", this.pattern.contains("{chatId}") ? this.chatId.get() : "")
				.replace("{webhookId}", this.pattern.contains("{webhookId}") ? this.webhookId.get() : "")
				.replace("{deliveryId}", this.pattern.contains("{deliveryId}")
						? AuthorizationIntegrationTests.this.deliveryId : "") + this.query;
		}

		@Override
		public String toString() {
			return this.method + " " + this.pattern.substring(COMPANY.length()) + (this.variant.isEmpty() ? ""
					: " (" + this.variant + ")");
		}

	}

	private Row row(String method, String pattern) {
		return row(method, pattern, "");
	}

	private Row row(String method, String pattern, String variant) {
		return new Row(method, pattern, variant);
	}

	private static Map<String, Object> newChatRequest(String chatId) {
		return Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId));
	}

	private Api.Response chat(String chatId) {
		Api.Response response = this.api.post("/api/v1/companies/" + this.company + "/chats", newChatRequest(chatId));
		assertThat(response.status()).isIn(200, 201);
		return response;
	}

	private Map<String, Object> webhookRequest() {
		return Map.of("url", this.receiver.url(), "secret", "authorization-secret-0123");
	}

	private String newWebhook() {
		String webhookId = "gone-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(this.api.put("/api/v1/companies/" + this.company + "/webhooks/" + webhookId, webhookRequest())
			.status()).isEqualTo(201);
		return webhookId;
	}

	@AfterAll
	void tearDown() {
		this.receiver.close();
		for (String c : new String[] { this.company, this.otherCompany }) {
			for (com.fasterxml.jackson.databind.JsonNode webhook : this.api.get("/api/v1/companies/" + c + "/webhooks").body()) {
				this.api.send("DELETE", "/api/v1/companies/" + c + "/webhooks/" + webhook.path("webhookId").asText(), null,
						this.api.platformKey());
			}
		}
	}

	private String newAgent() {
		String agentId = "gone-" + UUID.randomUUID().toString().substring(0, 8);
		this.api.put("/api/v1/companies/" + this.company + "/agents/" + agentId, Map.of("name", "Gone", "role", "AGENT"));
		return agentId;
	}

	private String newChat() {
		String chatId = "x-" + UUID.randomUUID();
		chat(chatId);
		return chatId;
	}

	/** A new chat of the company that waits for the customer's Auto-Menu choice. */
	private String chatWaitingForMenu() {
		String config = "/api/v1/companies/" + this.company + "/auto-assign";
		assertThat(this.api.patch(config, Map.of("autoMenuEnabled", true)).status()).isEqualTo(200);
		try {
			String chatId = newChat();
			assertThat(this.api.get("/api/v1/companies/" + this.company + "/chats/" + chatId).text("assignmentStatus"))
				.isEqualTo("PENDING");
			return chatId;
		}
		finally {
			assertThat(this.api.patch(config, Map.of("autoMenuEnabled", false)).status()).isEqualTo(200);
		}
	}

	private String token(String companyId, String agentId) {
		Api.Response response = this.api.post("/api/v1/companies/" + companyId + "/agents/" + agentId + "/tokens", null);
		assertThat(response.status()).isEqualTo(201);
		return response.text("token");
	}

	/** A genuinely signed token with any claims, e.g. already expired. */
	private String claims(String companyId, String agentId, Role role, Duration expiresIn) {
		return this.tokens.issue(new TokenClaims(companyId, agentId, role, Instant.now().plus(expiresIn))).token();
	}

}
