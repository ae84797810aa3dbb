package io.autoassign.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code auto-assign.metrics.per-company}, each company's pools get their own queue series
 * (off by default: the number of series would grow with the companies).
 */
@IntegrationTest
// a second cached application: it leaves webhook sending to the main one (whose metrics the webhook tests read)
@TestPropertySource(properties = { "auto-assign.metrics.per-company=true", "auto-assign.webhooks.send=false" })
class MetricsPerCompanyIntegrationTests {

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));

	@Autowired
	Api api;

	@Test
	void eachCompanysPoolsHaveTheirOwnQueueLengthAndOldestWait() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base + "/agents/s", Map.of("name", "S", "role", "AGENT", "groupIds", List.of("sales")));
		for (String chatId : new String[] { "q1", "q2" }) {
			chat(base, chatId);
		}
		this.api.patch(base + "/auto-assign", Map.of("autoMenuEnabled", true));
		chat(base, "m1");
		assertThat(this.api.post(base + "/chats/m1/menu-selection", Map.of("groupId", "sales")).status()).isEqualTo(202);

		String all = "autoassign_queue_pool_length{company=\"" + company + "\",pool=\"*\"} 2.0";
		String sales = "autoassign_queue_pool_length{company=\"" + company + "\",pool=\"g:sales\"} 1.0";
		await().atMost(Duration.ofSeconds(10)).until(() -> scrape().contains(all) && scrape().contains(sales));
		assertThat(scrape()).contains("autoassign_queue_pool_oldest_wait_seconds{company=\"" + company + "\",pool=\"*\"}");
		// a pool that empties disappears
		this.api.post(base + "/chats/m1/close", null);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !scrape().contains("company=\"" + company + "\",pool=\"g:sales\""));
	}

	private String scrape() {
		Api.Response response = this.api.sendAuthorized("GET", "/actuator/prometheus", null, OPERATOR);
		assertThat(response.status()).isEqualTo(200);
		return response.raw().body();
	}

	private void chat(String base, String chatId) {
		assertThat(this.api.post(base + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

}
