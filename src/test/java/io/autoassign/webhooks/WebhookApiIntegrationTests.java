package io.autoassign.webhooks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook endpoints: who may call them, what they refuse (each with a 400 naming the field),
 * that a secret is never shown, the deliveries' listing and redelivery.
 */
@IntegrationTest
class WebhookApiIntegrationTests {

	private static final String SECRET = "whsec-0123456789abcdef";

	@Autowired
	Api api;

	@Autowired
	JdbcTemplate jdbc;

	WebhookReceiver receiver;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.receiver = WebhookReceiver.started();
	}

	@AfterEach
	void close() {
		this.receiver.close();
		this.jdbc.update("delete from aa_webhook where company_id = ?", this.company);
	}

	@Test
	void aWebhookIsCreatedThenReplacedAndItsSecretIsNeverShown() {
		Api.Response created = this.api.put(base() + "/webhooks/crm",
				Map.of("url", this.receiver.url(), "secret", SECRET, "events", List.of("CHAT_CLOSED", "CHAT_ASSIGNED")));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.body().path("webhookId").asText()).isEqualTo("crm");
		assertThat(created.body().path("events").findValuesAsText("")).isEmpty();
		assertThat(created.body().path("events").toString()).isEqualTo("[\"CHAT_CLOSED\",\"CHAT_ASSIGNED\"]");
		assertThat(created.body().path("allEvents").asBoolean()).isFalse();
		assertThat(created.body().path("enabled").asBoolean()).isTrue();
		// replaced without its secret: the old one stays (deliveries still verify with it)
		Api.Response replaced = this.api.put(base() + "/webhooks/crm", Map.of("url", this.receiver.url()));
		assertThat(replaced.status()).isEqualTo(200);
		assertThat(replaced.body().path("allEvents").asBoolean()).isTrue();
		assertThat(replaced.body().path("events")).hasSize(io.autoassign.events.AutoAssignEvent.CHANGE_TYPES.size());
		assertThat(this.jdbc.queryForObject("select secret from aa_webhook where company_id = ? and webhook_id = 'crm'",
				String.class, this.company)).isEqualTo(SECRET);
		for (Api.Response response : List.of(created, replaced, this.api.get(base() + "/webhooks/crm"),
				this.api.get(base() + "/webhooks"))) {
			assertThat(response.raw().body()).doesNotContain(SECRET).doesNotContain("secret");
		}
		assertThat(this.api.get(base() + "/webhooks").body().findValuesAsText("webhookId")).containsExactly("crm");
		assertThat(this.api.send("DELETE", base() + "/webhooks/crm", null, this.api.platformKey()).status())
			.isEqualTo(204);
		assertThat(this.api.get(base() + "/webhooks/crm").status()).isEqualTo(404);
		assertThat(this.api.send("DELETE", base() + "/webhooks/crm", null, this.api.platformKey()).status())
			.isEqualTo(404);
	}

	@Test
	void aCompanyHasAtMostTheConfiguredNumberOfWebhooks(@Autowired WebhookProperties properties) {
		for (int i = 0; i < properties.maxPerCompany(); i++) {
			assertThat(this.api.put(base() + "/webhooks/w" + i, Map.of("url", this.receiver.url(), "secret", SECRET))
				.status()).isEqualTo(201);
		}
		Api.Response oneMore = this.api.put(base() + "/webhooks/more", Map.of("url", this.receiver.url(), "secret", SECRET));
		assertThat(oneMore.status()).isEqualTo(409);
		assertThat(oneMore.body().path("detail").asText()).contains(Integer.toString(properties.maxPerCompany()));
		// replacing one is not adding one
		assertThat(this.api.put(base() + "/webhooks/w0", Map.of("url", this.receiver.url())).status()).isEqualTo(200);
	}

	@Test
	void badInputIsA400NamingTheField() {
		assertField(Map.of("url", this.receiver.url()), "secret");
		assertField(Map.of("url", this.receiver.url(), "secret", "short"), "secret");
		assertField(Map.of("secret", SECRET), "url");
		assertField(Map.of("url", "ftp://127.0.0.1/x", "secret", SECRET), "url");
		assertField(Map.of("url", "not a url", "secret", SECRET), "url");
		assertField(Map.of("url", "http://user:pw@127.0.0.1/x", "secret", SECRET), "url");
		// private and link-local targets are refused here (the tests allow loopback only)
		assertField(Map.of("url", "http://10.1.2.3/hook", "secret", SECRET), "url");
		assertField(Map.of("url", "http://169.254.169.254/latest/meta-data", "secret", SECRET), "url");
		assertField(Map.of("url", "http://192.168.0.10/hook", "secret", SECRET), "url");
		assertField(Map.of("url", this.receiver.url(), "secret", SECRET, "events", List.of("CHAT_ASSIGNED", "NOPE")),
				"events[1]");
		assertField(Map.of("url", this.receiver.url(), "secret", SECRET, "events", List.of()), "events");
		assertThat(this.api.put(base() + "/webhooks/bad%20id", Map.of("url", this.receiver.url(), "secret", SECRET))
			.body()
			.path("errors")
			.findValuesAsText("field")).containsExactly("webhookId");
		assertThat(this.api.get(base() + "/webhooks").body()).isEmpty();
	}

	@Test
	void onlyThePlatformAndTheCompanysAdminsManageWebhooks() {
		String admin = this.api.post(base() + "/agents/boss/tokens", null).text("token");
		String agent = this.api.post(base() + "/agents/a/tokens", null).text("token");
		Map<String, Object> body = Map.of("url", this.receiver.url(), "secret", SECRET);
		assertThat(this.api.send("PUT", base() + "/webhooks/w", body, admin).status()).isEqualTo(201);
		assertThat(this.api.send("GET", base() + "/webhooks/w", null, admin).status()).isEqualTo(200);
		assertThat(this.api.send("GET", base() + "/webhooks/w/deliveries", null, admin).status()).isEqualTo(200);
		assertThat(this.api.send("PUT", base() + "/webhooks/w", body, agent).status()).isEqualTo(403);
		assertThat(this.api.send("GET", base() + "/webhooks", null, agent).status()).isEqualTo(403);
		assertThat(this.api.send("GET", base() + "/webhooks/w/deliveries", null, agent).status()).isEqualTo(403);
		String other = Api.newCompany();
		this.api.put("/api/v1/companies/" + other + "/agents/x", Map.of("name", "X", "role", "ADMIN"));
		String outsider = this.api.post("/api/v1/companies/" + other + "/agents/x/tokens", null).text("token");
		assertThat(this.api.send("GET", base() + "/webhooks/w", null, outsider).status()).isEqualTo(403);
		assertThat(this.api.send("DELETE", base() + "/webhooks/w", null, outsider).status()).isEqualTo(403);
		assertThat(this.api.send("GET", base() + "/webhooks", null, null).status()).isEqualTo(401);
	}

	@Test
	void deliveriesAreListedNewestFirstFilteredPagedAndRedeliveredOnRequest() {
		this.api.put(base() + "/webhooks/w",
				Map.of("url", this.receiver.url(), "secret", SECRET, "events", List.of("CHAT_ASSIGNED")));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		for (String chat : List.of("c1", "c2", "c3")) {
			this.api.post(base() + "/chats", Map.of("chatId", chat, "member", Map.of("id", "m-" + chat, "name", "M")));
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> deliveries("?status=DELIVERED").path("deliveries").size() == 3);
		JsonNode first = deliveries("?limit=2");
		assertThat(first.path("deliveries").findValuesAsText("chatId")).containsExactly("c3", "c2");
		JsonNode second = deliveries("?limit=2&cursor=" + first.path("next").asText());
		assertThat(second.path("deliveries").findValuesAsText("chatId")).containsExactly("c1");
		assertThat(second.path("next").isNull()).isTrue();
		assertThat(deliveries("?status=FAILED").path("deliveries")).isEmpty();
		for (String query : List.of("?status=LOST", "?limit=0", "?limit=1001", "?cursor=nope", "?since=1")) {
			Api.Response response = this.api.get(base() + "/webhooks/w/deliveries" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.body().path("errors").findValuesAsText("field")).as(query)
				.containsExactly(query.substring(1, query.indexOf('=')));
		}

		JsonNode c1 = second.path("deliveries").get(0);
		long id = c1.path("deliveryId").asLong();
		Api.Response again = this.api.post(base() + "/webhooks/w/deliveries/" + id + "/redeliver", null);
		assertThat(again.status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.receiver.received()
				.stream()
				.filter((r) -> r.header("X-AutoAssign-Delivery-Id").equals(Long.toString(id)))
				.count() == 2);
		WebhookReceiver.Received redelivered = this.receiver.received()
			.stream()
			.filter((r) -> r.header("X-AutoAssign-Delivery-Id").equals(Long.toString(id)))
			.reduce((a, b) -> b)
			.orElseThrow();
		assertThat(redelivered.header("X-AutoAssign-Delivery-Attempt")).isEqualTo("2");
		assertThat(redelivered.header("X-AutoAssign-Event-Id")).isEqualTo(c1.path("eventId").asText());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.api.get(base() + "/webhooks/w/deliveries/" + id).body()
				.path("status")
				.asText()).isEqualTo("DELIVERED"));
		assertThat(this.api.post(base() + "/webhooks/w/deliveries/999999999/redeliver", null).status()).isEqualTo(404);
		assertThat(this.api.post(base() + "/webhooks/w/deliveries/x1/redeliver", null).status()).isEqualTo(400);
		assertThat(this.api.get(base() + "/webhooks/nope/deliveries").status()).isEqualTo(404);
	}

	private void assertField(Map<String, Object> body, String field) {
		Api.Response response = this.api.put(base() + "/webhooks/w", new LinkedHashMap<>(body));
		assertThat(response.status()).as(body.toString()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().path("errors").findValuesAsText("field")).as(body.toString()).containsExactly(field);
	}

	private JsonNode deliveries(String query) {
		Api.Response response = this.api.get(base() + "/webhooks/w/deliveries" + query);
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
