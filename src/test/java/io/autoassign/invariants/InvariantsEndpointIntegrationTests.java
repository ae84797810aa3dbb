package io.autoassign.invariants;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/invariants} runs the invariant checker on the live application for operators:
 * ok on a consistent company, the violation named when Redis is corrupted, and closed to every
 * caller but the Cockpit login.
 */
@IntegrationTest
class InvariantsEndpointIntegrationTests {

	private static final String OPERATOR = basic("admin", "test-admin-password");

	@Autowired
	Api api;

	@Autowired
	StringRedisTemplate redis;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		for (String chat : List.of("c1", "c2", "c3")) {
			assertThat(this.api.post(base() + "/chats", Map.of("chatId", chat, "member", Map.of("id", "m"))).status())
				.isEqualTo(201);
		}
	}

	@Test
	void answersOkForAConsistentCompany() {
		Api.Response response = operator("/actuator/invariants/" + this.company);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().get("ok").booleanValue()).as(response.body().toString()).isTrue();
		assertThat(response.body().get("openChats").intValue()).isEqualTo(3);
		assertThat(response.body().get("checks").intValue()).isEqualTo(1);
		assertThat(response.body().get("violations")).isEmpty();
	}

	@Test
	void reportsACorruptedCapacityCountUntilItIsRepaired() {
		String loads = "aa:{" + this.company + "}:a:load";
		this.redis.opsForHash().increment(loads, "a", 5);
		try {
			Api.Response one = operator("/actuator/invariants/" + this.company + "?attempts=2");
			assertThat(one.status()).isEqualTo(200);
			assertThat(one.body().get("ok").booleanValue()).isFalse();
			// a persistent violation shows in every check, so every attempt was made
			assertThat(one.body().get("checks").intValue()).isEqualTo(2);
			assertThat(one.body().get("violations").toString()).contains("agent a holds 1 chats but Redis counts 6");

			Api.Response all = operator("/actuator/invariants?attempts=1");
			assertThat(all.status()).isEqualTo(200);
			assertThat(all.body().get("ok").booleanValue()).isFalse();
			JsonNode mine = entryOf(all.body(), this.company);
			assertThat(mine.get("ok").booleanValue()).isFalse();
			assertThat(mine.get("violations").toString()).contains("Redis counts 6");
		}
		finally {
			this.redis.opsForHash().increment(loads, "a", -5);
		}
		assertThat(operator("/actuator/invariants/" + this.company).body().get("ok").booleanValue()).isTrue();
	}

	@Test
	void reportsACapacitySlotHeldForAChatTheDatabaseDoesNotKnow() {
		String ledger = "aa:{" + this.company + "}:c:agent";
		this.redis.opsForHash().put(ledger, "ghost", "a");
		try {
			Api.Response response = operator("/actuator/invariants/" + this.company + "?attempts=1");
			assertThat(response.body().get("ok").booleanValue()).isFalse();
			assertThat(response.body().get("violations").toString())
				.contains("Redis gives chat ghost, which the database does not know, to agent a");
		}
		finally {
			this.redis.opsForHash().delete(ledger, "ghost");
		}
	}

	@Test
	void listsEveryCompany() {
		Api.Response all = operator("/actuator/invariants?attempts=1");
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.body().get("companies").intValue()).isEqualTo(all.body().get("results").size());
		JsonNode mine = entryOf(all.body(), this.company);
		assertThat(mine.get("ok").booleanValue()).as(mine.toString()).isTrue();
		assertThat(mine.get("openChats").intValue()).isEqualTo(3);
	}

	@Test
	void answers404ForAnUnknownCompany() {
		assertThat(operator("/actuator/invariants/" + Api.newCompany()).status()).isEqualTo(404);
	}

	@Test
	void refusesANonNumericNumberOfAttempts() {
		assertThat(operator("/actuator/invariants/" + this.company + "?attempts=many").status()).isEqualTo(400);
	}

	@Test
	void refusesEveryCallerButTheOperatorLogin() {
		this.api.put(base() + "/agents/adm", Map.of("name", "Admin", "role", "ADMIN"));
		String adminToken = this.api.post(base() + "/agents/adm/tokens", null).text("token");
		String agentToken = this.api.post(base() + "/agents/a/tokens", null).text("token");
		for (String path : List.of("/actuator/invariants", "/actuator/invariants/" + this.company)) {
			assertThat(this.api.sendAuthorized("GET", path, null, null).status()).as("anonymous").isEqualTo(401);
			assertThat(this.api.send("GET", path, null, this.api.platformKey()).status()).as("platform key")
				.isEqualTo(401);
			assertThat(this.api.send("GET", path, null, adminToken).status()).as("admin token").isEqualTo(401);
			assertThat(this.api.send("GET", path, null, agentToken).status()).as("agent token").isEqualTo(401);
			assertThat(this.api.sendAuthorized("GET", path, null, basic("nobody", "wrong")).status())
				.as("unknown user")
				.isEqualTo(401);
			assertThat(this.api.sendAuthorized("GET", path + "?attempts=1", null, OPERATOR).status()).as("operator")
				.isEqualTo(200);
		}
	}

	private Api.Response operator(String path) {
		return this.api.sendAuthorized("GET", path, null, OPERATOR);
	}

	private static JsonNode entryOf(JsonNode all, String companyId) {
		for (JsonNode entry : all.get("results")) {
			if (entry.get("companyId").asText().equals(companyId)) {
				return entry;
			}
		}
		throw new AssertionError(companyId + " missing from " + all);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
