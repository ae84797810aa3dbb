package io.autoassign.ratelimit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.autoassign.assignment.RoutingKeys;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit per company, through the API: company {@value #LIMITED} may send 3 requests at
 * once and 1 an hour after them, {@value #UNLIMITED} has no limit (both set in the test profile);
 * every other company has the shipped default.
 */
@IntegrationTest
class RateLimitIntegrationTests {

	static final String LIMITED = "rate-limited-test";

	static final String UNLIMITED = "rate-unlimited-test";

	@Autowired
	Api api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RateLimits limits;

	@BeforeEach
	void afresh() {
		this.redis.delete(RoutingKeys.rateLimit(LIMITED));
		this.limits.forget(LIMITED);
	}

	@Test
	void aRequestBeyondTheBurstIsRefusedWith429AndRetryAfterAndChangesNothing() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.get(anyRead(LIMITED)).status()).isEqualTo(200);
		}
		Api.Response refused = this.api.post(base(LIMITED) + "/chats",
				Map.of("chatId", "c1", "member", Map.of("id", "m1")));

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.text("type")).isEqualTo("urn:auto-assign:problem:too-many-requests");
		assertThat(refused.text("detail")).contains(LIMITED).contains("1 requests per 3600 s, bursts of 3");
		long retryAfter = Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(3500L, 3600L);
		// still refused (the refusal recorded nothing that would push it further out)
		assertThat(this.api.get(anyRead(LIMITED)).status()).isEqualTo(429);
		// another company is not affected
		assertThat(this.api.get(anyRead(Api.newCompany())).status()).isEqualTo(200);

		afresh();
		// the refused creation created nothing
		assertThat(this.api.get(base(LIMITED) + "/chats/c1").status()).isEqualTo(404);
	}

	@Test
	void requestsTheCallerMayNotMakeDoNotCount() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.api.send("GET", anyRead(LIMITED), null, "not-a-token").status()).isEqualTo(401);
			assertThat(this.api.send("GET", anyRead(LIMITED), null, null).status()).isEqualTo(401);
		}
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.get(anyRead(LIMITED)).status()).isEqualTo(200);
		}
		assertThat(this.api.get(anyRead(LIMITED)).status()).isEqualTo(429);
	}

	@Test
	void aBrowserCanReadTheRefusalAndItsRetryAfter() throws IOException, InterruptedException {
		for (int i = 0; i < 3; i++) {
			this.api.get(anyRead(LIMITED));
		}
		HttpResponse<String> refused = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.api.base() + anyRead(LIMITED)))
				.header("Authorization", "Bearer " + this.api.platformKey())
				.header("Origin", "https://agents.example.com")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://agents.example.com");
		assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Retry-After");
	}

	@Test
	void aCompanyWithoutALimitIsNeverCounted() {
		for (int i = 0; i < 20; i++) {
			assertThat(this.api.get(anyRead(UNLIMITED)).status()).isEqualTo(200);
		}
		assertThat(this.redis.hasKey(RoutingKeys.rateLimit(UNLIMITED))).isFalse();
	}

	@Test
	void everyOtherCompanyIsCountedAgainstTheDefault() {
		RateLimits.Decision decision = this.limits.check(Api.newCompany());
		assertThat(decision.allowed()).isTrue();
		assertThat(decision.limit().describe()).isEqualTo("5000 requests per 1 s, bursts of 10000");
	}

	private static String base(String company) {
		return "/api/v1/companies/" + company;
	}

	private static String anyRead(String company) {
		return base(company) + "/auto-assign";
	}

}
