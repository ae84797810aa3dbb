package io.autoassign.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} after a scripted scenario: every count moved by exactly what the
 * scenario did, the histograms have their samples, the queue gauges follow the queue, and the
 * Grafana dashboard asks only for metrics the service exposes.
 */
@IntegrationTest
class MetricsIntegrationTests {

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));

	/** One sample line: name, optional labels, value. */
	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$",
			Pattern.MULTILINE);

	@Autowired
	Api api;

	@Autowired
	JdbcTemplate jdbc;

	StompTestClient admin;

	@AfterEach
	void disconnect() {
		if (this.admin != null) {
			this.admin.close();
		}
	}

	@Test
	void theCountsTimesAndGaugesFollowAScriptedScenario() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		this.admin = StompTestClient.withToken(this.api.base(),
				this.api.post(base + "/agents/boss/tokens", null).text("token"));
		this.admin.subscribeOwn();
		Map<String, Double> before = scrape();

		chat(base, "c1"); // assigned to a
		chat(base, "c2"); // queued: a is full
		close(base, "c1"); // c2 leaves the queue for a
		assertThat(this.api.get(base + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.api.post(base + "/chats/c2/takeover", Map.of("adminId", "boss")).status()).isEqualTo(200);
		close(base, "c2");
		this.api.put(base + "/agents/a/status", Map.of("status", "INACTIVE"));
		chat(base, "q1");
		chat(base, "q2");
		// the queue gauges (refreshed every second here) catch up with the database, q1 and q2 included
		Long queued = this.jdbc.queryForObject(
				"select count(*) from aa_chat where status = 'OPEN' and assignment_status = 'QUEUED'", Long.class);
		assertThat(this.jdbc.queryForObject("select count(*) from aa_chat where company_id = ? and status = 'OPEN' "
				+ "and assignment_status = 'QUEUED'", Long.class, company)).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "autoassign_queue_length") == queued);
		this.admin.awaitEvent("CHAT_QUEUED", "q2");
		Map<String, Double> after = scrape();

		assertThat(delta(before, after, "autoassign_chats_opened_total")).isEqualTo(4);
		assertThat(delta(before, after, "autoassign_chats_assigned_total")).isEqualTo(2);
		assertThat(delta(before, after, "autoassign_chats_queued_total")).isEqualTo(3);
		assertThat(delta(before, after, "autoassign_chats_taken_over_total")).isEqualTo(1);
		assertThat(delta(before, after, "autoassign_chats_closed_total{reason=\"CLOSED\"}")).isEqualTo(2);
		assertThat(delta(before, after, "autoassign_chat_time_to_assign_seconds_count")).isEqualTo(2);
		assertThat(delta(before, after, "autoassign_chat_time_in_queue_seconds_count")).isEqualTo(1);
		assertThat(delta(before, after, "autoassign_queue_drain_seconds_count")).isEqualTo(1);
		assertThat(delta(before, after, "autoassign_redis_script_seconds_count{script=\"assign\"}")).isGreaterThanOrEqualTo(4);
		assertThat(delta(before, after, "autoassign_stomp_sent_total")).isGreaterThanOrEqualTo(8);
		assertThat(value(after, "autoassign_queue_oldest_wait_seconds")).isGreaterThanOrEqualTo(0);
		assertThat(after).containsKeys("autoassign_jobs_incidents", "autoassign_routing_repairs_total",
				"autoassign_routing_rebuilds_total", "autoassign_stomp_failed_total", "autoassign_stomp_late_total");
		// by default one series per metric, whatever the number of companies
		assertThat(after.keySet()).noneMatch((series) -> series.startsWith("autoassign_queue_pool_length{"));
		// histograms have buckets with the samples
		assertThat(after.keySet()).anyMatch((series) -> series.startsWith("autoassign_chat_time_to_assign_seconds_bucket"));
	}

	@Test
	void theEndpointIsForOperatorsOnly() {
		assertThat(this.api.sendAuthorized("GET", "/actuator/prometheus", null, null).status()).isEqualTo(401);
		assertThat(this.api.send("GET", "/actuator/prometheus", null, this.api.platformKey()).status()).isEqualTo(401);
		assertThat(this.api.sendAuthorized("GET", "/actuator/prometheus", null, OPERATOR).status()).isEqualTo(200);
	}

	@Test
	void theDashboardAsksOnlyForMetricsTheServiceExposes() throws Exception {
		// every metric the dashboard names has been produced at least once by a small scenario
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		this.api.put(base + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		chat(base, "c1");
		chat(base, "c2");
		close(base, "c1");
		Set<String> exposed = new TreeSet<>();
		for (String series : scrape().keySet()) {
			exposed.add(series.contains("{") ? series.substring(0, series.indexOf('{')) : series);
		}
		JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("ops/grafana/dashboards/auto-assign.json")));
		Set<String> named = new TreeSet<>();
		Matcher metric = Pattern.compile("\\b((?:autoassign|http_server_requests)_[a-z_]+)\\b").matcher("");
		for (JsonNode expr : dashboard.findValues("expr")) {
			metric.reset(expr.asText());
			while (metric.find()) {
				named.add(metric.group(1));
			}
		}
		assertThat(named).hasSizeGreaterThan(15);
		assertThat(exposed).containsAll(named);
	}

	private Map<String, Double> scrape() {
		Api.Response response = this.api.sendAuthorized("GET", "/actuator/prometheus", null, OPERATOR);
		assertThat(response.status()).isEqualTo(200);
		Map<String, Double> samples = new HashMap<>();
		Matcher matcher = SAMPLE.matcher(response.raw().body());
		while (matcher.find()) {
			String labels = matcher.group(2) == null ? "" : matcher.group(2).replace(",}", "}");
			samples.put(matcher.group(1) + labels, Double.parseDouble(matcher.group(3)));
		}
		return samples;
	}

	/** The series' value; for a name without labels, the sum over its label sets. */
	private static double value(Map<String, Double> samples, String series) {
		if (series.contains("{")) {
			return samples.entrySet()
				.stream()
				.filter((e) -> e.getKey().startsWith(series.substring(0, series.length() - 1)))
				.mapToDouble(Map.Entry::getValue)
				.sum();
		}
		return samples.entrySet()
			.stream()
			.filter((e) -> e.getKey().equals(series) || e.getKey().startsWith(series + "{"))
			.mapToDouble(Map.Entry::getValue)
			.sum();
	}

	private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
		return value(after, series) - value(before, series);
	}

	private void chat(String base, String chatId) {
		assertThat(this.api.post(base + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

	private void close(String base, String chatId) {
		assertThat(this.api.post(base + "/chats/" + chatId + "/close", null).status()).isEqualTo(200);
	}

}
