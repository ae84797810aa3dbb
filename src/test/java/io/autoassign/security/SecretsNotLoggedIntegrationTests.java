package io.autoassign.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.agent.TokenService;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The platform key, tokens (genuine or forged) and the operator's password never reach the log,
 * not even with the application, Spring Security, Spring MVC and Spring's messaging logging at
 * DEBUG: each credential is used on the REST API, the engine REST API and a STOMP CONNECT, and
 * the captured output is searched for it.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsNotLoggedIntegrationTests {

	private static final List<String> VERBOSE_LOGGERS = List.of("io.autoassign", "org.springframework.security",
			"org.springframework.web", "org.springframework.messaging");

	private static final String OPERATOR_PASSWORD = "test-admin-password";

	/** Characters of a token's signature (of 43) that must not appear in the log in a row. */
	private static final int SIGNATURE_FRAGMENT = 12;

	@Autowired
	Api api;

	@Autowired
	TokenService tokens;

	@Autowired
	LoggingSystem loggingSystem;

	/** The levels configured before this class, restored after it (the application is shared). */
	private final Map<String, LogLevel> configuredLevels = new HashMap<>();

	private final List<StompTestClient> clients = new ArrayList<>();

	@BeforeAll
	void logVerbosely() {
		for (String logger : VERBOSE_LOGGERS) {
			LoggerConfiguration configuration = this.loggingSystem.getLoggerConfiguration(logger);
			this.configuredLevels.put(logger, (configuration != null) ? configuration.getConfiguredLevel() : null);
			this.loggingSystem.setLogLevel(logger, LogLevel.DEBUG);
		}
	}

	@AfterAll
	void restoreLogLevels() {
		this.clients.forEach(StompTestClient::close);
		this.configuredLevels.forEach(this.loggingSystem::setLogLevel);
	}

	@Test
	void credentialsNeverReachTheLog(CapturedOutput output) {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		assertThat(this.api.put(base + "/agents/adm", Map.of("name", "Admin", "role", "ADMIN")).status()).isEqualTo(201);
		// a token minted over REST: it is in the response body
		String token = this.api.post(base + "/agents/adm/tokens", null).text("token");
		String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
		String expired = this.tokens
			.issue(new TokenClaims(company, "adm", Role.ADMIN, Instant.now().minus(Duration.ofMinutes(1))))
			.token();
		String operator = "Basic " + Base64.getEncoder()
			.encodeToString(("admin:" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));

		assertThat(this.api.send("GET", base + "/agents", null, token).status()).isEqualTo(200);
		assertThat(this.api.send("GET", base + "/queue", null, token).status()).isEqualTo(200);
		assertThat(this.api.send("GET", base + "/queue", null, forged).status()).isEqualTo(401);
		assertThat(this.api.send("GET", base + "/queue", null, expired).status()).isEqualTo(401);
		assertThat(this.api.send("GET", "/engine-rest/process-definition", null, this.api.platformKey()).status())
			.isEqualTo(401);
		assertThat(this.api.send("GET", "/engine-rest/process-definition", null, token).status()).isEqualTo(401);
		assertThat(this.api.sendAuthorized("GET", "/engine-rest/process-definition", null, operator).status())
			.isEqualTo(200);
		assertThat(this.api.sendAuthorized("GET", "/v3/api-docs", null, operator).status()).isEqualTo(200);

		StompTestClient admin = connect(Map.of("Authorization", "Bearer " + token));
		admin.subscribeOwn();
		StompTestClient platform = connect(
				Map.of("Authorization", "Bearer " + this.api.platformKey(), "company-id", company));
		platform.subscribeOwn();
		admin.send("/app/x", "{}");
		await().atMost(Duration.ofSeconds(10)).until(() -> !admin.errors().isEmpty());
		for (Map<String, String> refused : List.of(Map.of("Authorization", "Bearer " + forged),
				Map.of("Authorization", "Bearer " + expired), Map.of("Authorization", "Bearer " + this.api.platformKey()),
				Map.of("Authorization", operator))) {
			assertThatThrownBy(() -> connect(refused)).hasMessageContaining("ERROR");
		}

		// the events of a chat, for DEBUG lines of the application's own
		assertThat(this.api.post(base + "/chats", Map.of("chatId", "c1", "member", Map.of("id", "m-1"))).status())
			.isEqualTo(201);
		platform.awaitEvent("CHAT_QUEUED", "c1");

		// the logging this test relies on is on and captured: Spring Security's and the application's DEBUG lines
		String log = output.getAll();
		assertThat(linesWith(log, "Securing GET " + base + "/queue")).isNotEmpty();
		assertThat(linesWith(log, "io.autoassign.events.LocalEventBus")).filteredOn((line) -> line.contains("DEBUG"))
			.anySatisfy((line) -> assertThat(line).contains("CHAT_QUEUED").contains(company));
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put("platform key", this.api.platformKey());
		secrets.put("token", token);
		secrets.put("forged token", forged);
		secrets.put("expired token", expired);
		secrets.put("operator password", OPERATOR_PASSWORD);
		secrets.put("operator's Basic credential", operator.substring("Basic ".length()));
		secrets.forEach((name, secret) -> assertThat(linesWith(log, secret)).as("log lines with the %s", name).isEmpty());
		// not even a part of a signature (e.g. in a value that a log line truncates)
		Map<String, String> signatures = Map.of("token", token, "forged token", forged, "expired token", expired);
		signatures.forEach((name, secret) -> {
			String signature = secret.substring(secret.lastIndexOf('.') + 1);
			for (int i = 0; i + SIGNATURE_FRAGMENT <= signature.length(); i++) {
				assertThat(linesWith(log, signature.substring(i, i + SIGNATURE_FRAGMENT)))
					.as("log lines with a part of the %s's signature", name)
					.isEmpty();
			}
		});
	}

	private static List<String> linesWith(String log, String secret) {
		return log.lines().filter((line) -> line.contains(secret)).toList();
	}

	private StompTestClient connect(Map<String, String> headers) {
		StompTestClient client = StompTestClient.connect(this.api.base(), headers);
		this.clients.add(client);
		return client;
	}

}
