package io.autoassign.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.agent.Role;
import io.autoassign.agent.TokenClaims;
import io.autoassign.agent.TokenService;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract's authorization rules, endpoint by endpoint and caller by caller.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	TokenService tokens;

	private final String company = Api.newCompany();

	private final String otherCompany = Api.newCompany();

	private final Map<String, String> callers = new LinkedHashMap<>();

	/** One endpoint: how to call it, and the status each caller must get. */
	private record Case(String method, Supplier<String> path, Object body, Map<String, Integer> expected) {
	}

	@BeforeAll
	void setUp() {
		for (String c : new String[] { this.company, this.otherCompany }) {
			this.api.put("/api/v1/companies/" + c + "/agents/adm", Map.of("name", "Admin", "role", "ADMIN"));
			this.api.put("/api/v1/companies/" + c + "/agents/ag1", Map.of("name", "One", "role", "AGENT"));
			this.api.put("/api/v1/companies/" + c + "/agents/ag2", Map.of("name", "Two", "role", "AGENT"));
		}
		this.api.put("/api/v1/companies/" + this.company + "/agents/ag1/status", Map.of("status", "ACTIVE"));
		chat("c1");
		this.callers.put("platform", this.api.platformKey());
		this.callers.put("admin", token(this.company, "adm"));
		this.callers.put("agent", token(this.company, "ag1"));
		this.callers.put("otherAgent", token(this.company, "ag2"));
		this.callers.put("otherCompanyAdmin", token(this.otherCompany, "adm"));
	}

	@Test
	void everyEndpointAnswersEachCallerAsTheContractSays() {
		List<String> mismatches = new ArrayList<>();
		for (Map.Entry<String, Case> entry : cases().entrySet()) {
			Case c = entry.getValue();
			for (Map.Entry<String, Integer> expected : c.expected().entrySet()) {
				Api.Response response = this.api.send(c.method(), c.path().get(), c.body(),
						this.callers.get(expected.getKey()));
				if (response.status() != expected.getValue()) {
					mismatches.add(entry.getKey() + " as " + expected.getKey() + ": expected " + expected.getValue()
							+ " but was " + response.status() + " " + response.raw().body());
				}
				else if (response.status() >= 400) {
					assertThat(response.contentType()).as(entry.getKey()).startsWith("application/problem+json");
				}
			}
		}
		assertThat(mismatches).isEmpty();
	}

	@Test
	void missingOrInvalidCredentialsAre401OnEveryEndpoint() {
		String expired = this.tokens
			.issue(new TokenClaims(this.company, "adm", Role.ADMIN, Instant.now().minus(Duration.ofMinutes(1))))
			.token();
		String valid = token(this.company, "adm");
		String forged = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");
		String wrongRole = this.tokens
			.issue(new TokenClaims(this.company, "ag1", Role.ADMIN, Instant.now().plus(Duration.ofMinutes(5))))
			.token();
		String unknownAgent = this.tokens
			.issue(new TokenClaims(this.company, "ghost", Role.ADMIN, Instant.now().plus(Duration.ofMinutes(5))))
			.token();
		List<String> mismatches = new ArrayList<>();
		for (Map.Entry<String, Case> entry : cases().entrySet()) {
			Case c = entry.getValue();
			for (String credential : new String[] { null, "garbage", "aa1.e30.AAAA", expired, forged, wrongRole,
					unknownAgent }) {
				Api.Response response = this.api.send(c.method(), c.path().get(), c.body(), credential);
				if (response.status() != 401 || !response.contentType().startsWith("application/problem+json")) {
					mismatches.add(entry.getKey() + " with " + credential + ": " + response.status());
				}
			}
		}
		assertThat(mismatches).isEmpty();
	}

	@Test
	void anotherSchemeThanBearerIs401() {
		Api.Response response = this.api.send("GET", config(), null, null);
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
	void tokensExpireAsAskedAndNeverLaterThanConfigured() {
		Api.Response shortLived = this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens",
				Map.of("ttlMinutes", 5));
		assertThat(shortLived.status()).isEqualTo(201);
		assertThat(Instant.parse(shortLived.text("expiresAt"))).isBetween(Instant.now().plusSeconds(240),
				Instant.now().plusSeconds(301));
		Api.Response capped = this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens",
				Map.of("ttlMinutes", 525_600));
		assertThat(Instant.parse(capped.text("expiresAt"))).isBefore(Instant.now().plus(Duration.ofHours(12)).plusSeconds(5));
		assertThat(this.api.post("/api/v1/companies/" + this.company + "/agents/ghost/tokens", null).status())
			.isEqualTo(404);
		assertThat(this.api.post("/api/v1/companies/" + this.company + "/agents/ag1/tokens", Map.of("ttlMinutes", 0))
			.status()).isEqualTo(400);
	}

	private Map<String, Case> cases() {
		Map<String, Case> cases = new LinkedHashMap<>();
		String base = "/api/v1/companies/" + this.company;
		cases.put("GET config", new Case("GET", this::config, null, expect(200, 200, 403, 403, 403)));
		cases.put("PUT config", new Case("PUT", this::config, Map.of(), expect(200, 200, 403, 403, 403)));
		cases.put("PATCH config", new Case("PATCH", this::config, Map.of(), expect(200, 200, 403, 403, 403)));
		cases.put("PUT agent", new Case("PUT", () -> base + "/agents/new-" + UUID.randomUUID(),
				Map.of("name", "N", "role", "AGENT"), expect(201, 403, 403, 403, 403)));
		cases.put("PUT own status", new Case("PUT", () -> base + "/agents/ag1/status", Map.of("status", "ACTIVE"),
				expect(200, 403, 200, 403, 403)));
		cases.put("GET agents", new Case("GET", () -> base + "/agents", null, expect(200, 200, 403, 403, 403)));
		cases.put("GET agent", new Case("GET", () -> base + "/agents/ag1", null, expect(200, 200, 403, 403, 403)));
		cases.put("POST tokens", new Case("POST", () -> base + "/agents/ag1/tokens", null,
				expect(201, 403, 403, 403, 403)));
		cases.put("POST chat", new Case("POST", () -> base + "/chats",
				Map.of("chatId", "n-" + UUID.randomUUID(), "member", Map.of("id", "m")), expect(201, 403, 403, 403, 403)));
		cases.put("GET chat", new Case("GET", () -> base + "/chats/c1", null, expect(200, 200, 200, 403, 403)));
		cases.put("POST message", new Case("POST", () -> base + "/chats/c1/messages",
				Map.of("sender", "MEMBER", "text", "hello"), expect(202, 403, 403, 403, 403)));
		cases.put("POST menu-selection", new Case("POST", () -> base + "/chats/c1/menu-selection",
				Map.of("groupId", "sales"), expect(409, 403, 403, 403, 403)));
		cases.put("POST takeover", new Case("POST", () -> base + "/chats/" + chat("t-" + UUID.randomUUID()) + "/takeover",
				Map.of("adminId", "adm"), expect(200, 200, 403, 403, 403)));
		cases.put("POST close", new Case("POST", () -> base + "/chats/" + chat("x-" + UUID.randomUUID()) + "/close",
				null, expect(200, 403, 403, 403, 403)));
		cases.put("GET queue", new Case("GET", () -> base + "/queue", null, expect(200, 200, 403, 403, 403)));
		return cases;
	}

	private String config() {
		return "/api/v1/companies/" + this.company + "/auto-assign";
	}

	private static Map<String, Integer> expect(int platform, int admin, int agent, int otherAgent, int otherCompany) {
		Map<String, Integer> expected = new LinkedHashMap<>();
		expected.put("platform", platform);
		expected.put("admin", admin);
		expected.put("agent", agent);
		expected.put("otherAgent", otherAgent);
		expected.put("otherCompanyAdmin", otherCompany);
		return expected;
	}

	private String chat(String chatId) {
		Api.Response response = this.api.post("/api/v1/companies/" + this.company + "/chats",
				Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)));
		assertThat(response.status()).isIn(200, 201);
		return chatId;
	}

	private String token(String companyId, String agentId) {
		Api.Response response = this.api.post("/api/v1/companies/" + companyId + "/agents/" + agentId + "/tokens", null);
		assertThat(response.status()).isEqualTo(201);
		return response.text("token");
	}

}
