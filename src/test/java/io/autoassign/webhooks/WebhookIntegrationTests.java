package io.autoassign.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.events.AutoAssignEvent;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import io.autoassign.support.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks against real HTTP receivers on this machine: every event type arrives signed, as the
 * STOMP clients get it; nothing is announced by a change that rolled back; a receiver that was
 * down gets every event once it is up, in order per chat, each once; an answer that is not an
 * acknowledgement (or that is lost with its node) makes the event arrive again, and only then;
 * a dead endpoint does not hold a healthy one's deliveries.
 */
@IntegrationTest
class WebhookIntegrationTests {

	private static final String SECRET = "whsec-0123456789abcdef";

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	PausePoints pauses;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	WebhookService webhookService;

	@Autowired
	ObjectMapper json;

	@Autowired
	WebhookProperties properties;

	final List<AutoCloseable> closing = new ArrayList<>();

	Gates gates;

	String company;

	@BeforeEach
	void company() {
		this.gates = Gates.install(this.pauses);
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/b", Map.of("name", "B", "role", "AGENT"));
	}

	@AfterEach
	void close() throws Exception {
		this.engine.resetClock();
		this.gates.close();
		this.pauses.install(null);
		for (AutoCloseable resource : this.closing) {
			resource.close();
		}
		// the company's webhooks go with the test: no later test meets their retries (deleted as
		// the API deletes them, so that a pass of the sender recording answers meanwhile waits)
		for (String webhookId : this.jdbc.queryForList("select webhook_id from aa_webhook where company_id = ?",
				String.class, this.company)) {
			this.webhookService.delete(this.company, webhookId);
		}
	}

	@Test
	void everyEventTypeArrivesSignedAndAsTheStompClientsGetIt() {
		WebhookReceiver receiver = receiver();
		assertThat(webhook("all", receiver.url(), null).status()).isEqualTo(201);
		StompTestClient boss = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/boss/tokens", null).text("token"));
		this.closing.add(boss);
		boss.subscribeOwn();

		config(Map.of("maxChatsPerAgent", 1, "offlineGracePeriodMinutes", 0));
		status("a", "ACTIVE"); // AGENT_UPDATED
		chat("c1"); // CHAT_ASSIGNED to a
		chat("c2"); // CHAT_QUEUED
		this.api.put(base() + "/chats/c2/priority", Map.of("priority", "HIGH")); // CHAT_PRIORITY_CHANGED
		status("b", "ACTIVE"); // c2 to b
		this.api.post(base() + "/chats/c2/takeover", Map.of("adminId", "boss")); // CHAT_TAKEN_OVER
		status("a", "OFFLINE");
		this.engine.runDueJobs(this.company); // CHAT_UNASSIGNED, AGENT_CHATS_REASSIGNED: c1 to b
		this.api.post(base() + "/chats/c1/close", Map.of("reason", "RESOLVED")); // CHAT_CLOSED
		config(Map.of("noReplyReassignEnabled", true, "noReplyMinutes", 1, "maxNoReplyReassignments", 0));
		chat("c3"); // to b, whose member waits (the first message) ...
		this.api.post(base() + "/chats/c3/messages", Map.of("sender", "MEMBER", "text", "anyone?"));
		// (what is under way is delivered first: moving the clock would end the leases of deliveries
		// in flight, and they would be sent a second time)
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.get(base() + "/webhooks/all/deliveries?status=PENDING&limit=1").body().path("deliveries")
				.isEmpty());
		this.engine.advance(Duration.ofMinutes(2));
		this.engine.runDueJobs(this.company); // ... too long: CHAT_NO_REPLY_ESCALATED

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
				receiver.of(this.company).stream().map((r) -> r.header("X-AutoAssign-Event-Type")).collect(Collectors.toSet()))
			.containsAll(AutoAssignEvent.CHANGE_TYPES));
		for (WebhookReceiver.Received request : receiver.of(this.company)) {
			JsonNode event = request.json();
			assertThat(request.header(":method")).isEqualTo("POST");
			assertThat(request.header("Content-Type")).isEqualTo("application/json");
			assertThat(request.header("X-AutoAssign-Event-Id")).isEqualTo(event.path("eventId").asText());
			assertThat(request.header("X-AutoAssign-Event-Type")).isEqualTo(event.path("type").asText());
			assertThat(request.header("X-AutoAssign-Delivery-Attempt")).isEqualTo("1");
			assertThat(request.header("X-AutoAssign-Delivery-Id")).matches("[0-9]+");
			assertVerifies(request, SECRET);
			if (event.hasNonNull("chatId")) {
				assertThat(event.path("version").asLong()).isPositive();
			}
		}
		// the very document a STOMP client received
		JsonNode overStomp = boss.awaitEvent("CHAT_ASSIGNED", "c1");
		JsonNode overHttp = receiver.of(this.company)
			.stream()
			.map(WebhookReceiver.Received::json)
			.filter((e) -> e.path("eventId").asText().equals(overStomp.path("eventId").asText()))
			.findFirst()
			.orElseThrow();
		assertThat(overHttp).isEqualTo(overStomp);
		JsonNode closed = receiver.of(this.company)
			.stream()
			.map(WebhookReceiver.Received::json)
			.filter((e) -> e.path("type").asText().equals("CHAT_CLOSED"))
			.findFirst()
			.orElseThrow();
		assertThat(closed.path("chatId").asText()).isEqualTo("c1");
		assertThat(closed.path("previousAgentId").asText()).isEqualTo("b");
		assertThat(closed.path("closeDetail").asText()).isEqualTo("RESOLVED");
		assertThat(closed.at("/chat/closeDetail").asText()).isEqualTo("RESOLVED");
	}

	@Test
	void aWebhookGetsOnlyTheTypesItAskedForAndADisabledOneNothing() {
		WebhookReceiver closes = receiver();
		WebhookReceiver disabled = receiver();
		assertThat(webhook("closes", closes.url(), List.of("CHAT_CLOSED")).status()).isEqualTo(201);
		Api.Response off = this.api.put(base() + "/webhooks/off",
				Map.of("url", disabled.url(), "secret", SECRET, "enabled", false));
		assertThat(off.body().path("enabled").asBoolean()).isFalse();
		status("a", "ACTIVE");
		chat("c1");
		this.api.post(base() + "/chats/c1/close", null);
		await().atMost(Duration.ofSeconds(30)).until(() -> closes.of(this.company).size() == 1);
		assertThat(closes.of(this.company).get(0).header("X-AutoAssign-Event-Type")).isEqualTo("CHAT_CLOSED");
		assertThat(deliveries("off", "").path("deliveries")).isEmpty();
		assertThat(disabled.received()).isEmpty();
		assertThat(deliveries("closes", "").path("deliveries")).hasSize(1);
	}

	@Test
	void aChangeThatRollsBackAnnouncesNothing() {
		WebhookReceiver receiver = receiver();
		webhook("all", receiver.url(), null);
		status("a", "ACTIVE");
		chat("c1");
		this.gates.at(Point.AFTER_ROUTING_STEP, this.company, "c1")
			.passing()
			.failing(1, () -> new IllegalStateException("injected: the close fails after its Redis step"));
		assertThat(this.api.post(base() + "/chats/c1/close", null).status()).isEqualTo(500);
		assertThat(this.api.get(base() + "/chats/c1").text("status")).isEqualTo("OPEN");
		chat("c2");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> receiver.of(this.company)
				.stream()
				.anyMatch((r) -> r.json().path("chatId").asText().equals("c2")));
		assertThat(receiver.of(this.company)).extracting((r) -> r.header("X-AutoAssign-Event-Type"))
			.doesNotContain("CHAT_CLOSED");
		assertThat(this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
				+ "and event_type = 'CHAT_CLOSED'", Integer.class, this.company)).isZero();
	}

	@Test
	void aReceiverThatWasDownGetsEveryEventOnceItIsUpEachOnceAndInOrderPerChat() {
		WebhookReceiver receiver = receiver();
		webhook("all", receiver.url(), null);
		receiver.stop();
		config(Map.of("maxChatsPerAgent", 2));
		status("a", "ACTIVE");
		status("b", "ACTIVE");
		for (int i = 1; i <= 8; i++) {
			chat("c" + i);
		}
		for (int i = 1; i <= 8; i += 2) {
			this.api.post(base() + "/chats/c" + i + "/close", null);
		}
		Set<String> committed = new java.util.HashSet<>(this.jdbc.queryForList(
				"select event_id from aa_webhook_delivery where company_id = ?", String.class, this.company));
		assertThat(committed).hasSizeGreaterThanOrEqualTo(8 + 4 + 2);
		// the first delivery of each chat (and agent) has been refused at least twice while the
		// receiver was down; the later ones of each wait behind it
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
					+ "and status = 'PENDING' and attempts >= 2", Integer.class, this.company)
				.equals(this.jdbc.queryForObject("select count(distinct order_key) from aa_webhook_delivery "
						+ "where company_id = ?", Integer.class, this.company)));
		assertThat(this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
				+ "and attempts = 0", Integer.class, this.company)).isPositive();
		List<String> errors = new ArrayList<>();
		deliveries("all", "?status=PENDING").path("deliveries").forEach((d) -> {
			if (d.path("attempts").asInt() > 0) {
				errors.add(d.path("lastError").asText());
				assertThat(d.path("nextAttemptAt").isTextual()).isTrue();
			}
		});
		assertThat(errors).isNotEmpty().containsOnly("connection refused");
		receiver.start();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> receiver.of(this.company)
				.stream()
				.map((r) -> r.header("X-AutoAssign-Event-Id"))
				.collect(Collectors.toSet())
				.containsAll(committed));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(deliveries("all", "?status=PENDING").path("deliveries")).isEmpty());
		List<WebhookReceiver.Received> got = receiver.of(this.company);
		// each event once: none reached the receiver while it was down
		assertThat(got).extracting((r) -> r.header("X-AutoAssign-Event-Id")).doesNotHaveDuplicates();
		assertThat(got.get(0).header("X-AutoAssign-Delivery-Attempt")).isNotEqualTo("1");
		Map<String, List<Long>> versions = new LinkedHashMap<>();
		for (WebhookReceiver.Received request : got) {
			JsonNode event = request.json();
			if (event.hasNonNull("chatId")) {
				versions.computeIfAbsent(event.path("chatId").asText(), (c) -> new ArrayList<>())
					.add(event.path("version").asLong());
			}
		}
		assertThat(versions).hasSize(8);
		versions.forEach((chat, seen) -> assertThat(seen).as("versions of %s as received", chat).isSorted());
		List<String> ofC1 = got.stream()
			.map(WebhookReceiver.Received::json)
			.filter((e) -> e.path("chatId").asText().equals("c1"))
			.map((e) -> e.path("type").asText())
			.toList();
		assertThat(ofC1).startsWith("CHAT_ASSIGNED").endsWith("CHAT_CLOSED");
	}

	/**
	 * The receiver stays down for twenty minutes of the service's time (the engine clock, which
	 * the sender's backoff reads, moved a minute at a time): the sender keeps trying with pauses,
	 * nothing is given up, and once the receiver is up every event arrives, in order per chat.
	 */
	@Test
	void aReceiverDownForTwentyMinutesGetsEveryEventOnceItIsUp() {
		WebhookReceiver receiver = receiver();
		webhook("all", receiver.url(), null);
		receiver.stop();
		status("a", "ACTIVE");
		for (int i = 1; i <= 3; i++) {
			chat("c" + i);
		}
		this.api.post(base() + "/chats/c1/close", null);
		Set<String> committed = new java.util.HashSet<>(this.jdbc.queryForList(
				"select event_id from aa_webhook_delivery where company_id = ?", String.class, this.company));
		String attempts = "select coalesce(sum(attempts), 0) from aa_webhook_delivery where company_id = ?";
		try {
			for (int minute = 1; minute <= 20; minute++) {
				int before = this.jdbc.queryForObject(attempts, Integer.class, this.company);
				this.engine.advance(Duration.ofMinutes(1));
				// tried again within this minute of the outage, and the failure recorded
				int at = minute;
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(this.jdbc.queryForObject(attempts, Integer.class, this.company) > before
							&& this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
									+ "and lease_until is not null", Integer.class, this.company) == 0)
						.as("minute %d at %s: %s", at, this.engine.now(), this.jdbc.queryForList("select id, order_key, "
								+ "attempts, next_attempt_at, lease_until, last_attempt_at from aa_webhook_delivery where "
								+ "company_id = ? and status = 'PENDING' and attempts > 0", this.company))
						.isTrue());
			}
			assertThat(this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
					+ "and status <> 'PENDING'", Integer.class, this.company)).isZero();
			receiver.start();
			// (the engine clock stands still where it was set: the next attempts fall due as it
			// moves, a minute at a time, as long as deliveries are pending)
			for (int minute = 1; minute <= 5 && pending() > 0; minute++) {
				this.engine.advance(Duration.ofMinutes(1));
				await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0 || this.jdbc.queryForObject(
						"select count(*) from aa_webhook_delivery where company_id = ? and status = 'PENDING' "
								+ "and next_attempt_at <= ?",
						Integer.class, this.company, java.sql.Timestamp.from(this.engine.now())) == 0);
			}
			assertThat(pending()).isZero();
		}
		finally {
			this.engine.resetClock();
		}
		List<WebhookReceiver.Received> got = receiver.of(this.company);
		assertThat(got).extracting((r) -> r.header("X-AutoAssign-Event-Id")).doesNotHaveDuplicates()
			.containsAll(committed);
		Map<String, List<Long>> versions = new LinkedHashMap<>();
		for (WebhookReceiver.Received request : got) {
			if (request.json().hasNonNull("chatId")) {
				versions.computeIfAbsent(request.json().path("chatId").asText(), (c) -> new ArrayList<>())
					.add(request.json().path("version").asLong());
			}
		}
		assertThat(versions).hasSize(3);
		versions.forEach((chat, seen) -> assertThat(seen).as("versions of %s as received", chat).isSorted());
	}

	@Test
	void anAnswerThatIsNotAnAcknowledgementIsSentAgainAndListedWithItsError() {
		Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
		WebhookReceiver receiver = receiver()
			.answering((r) -> refusedOnce.add(r.header("X-AutoAssign-Event-Id")) ? 503 : 204);
		webhook("all", receiver.url(), List.of("CHAT_ASSIGNED"));
		status("a", "ACTIVE");
		chat("c1");
		await().atMost(Duration.ofSeconds(30)).until(() -> receiver.of(this.company).size() == 2);
		List<WebhookReceiver.Received> got = receiver.of(this.company);
		assertThat(got).extracting(WebhookReceiver.Received::answered).containsExactly(503, 204);
		assertThat(got).extracting((r) -> r.header("X-AutoAssign-Delivery-Attempt")).containsExactly("1", "2");
		assertThat(got.get(0).body()).isEqualTo(got.get(1).body());
		assertThat(got.get(0).header("X-AutoAssign-Event-Id")).isEqualTo(got.get(1).header("X-AutoAssign-Event-Id"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(deliveries("all", "").path("deliveries").get(0).path("status").asText())
				.isEqualTo("DELIVERED"));
		JsonNode delivery = deliveries("all", "").path("deliveries").get(0);
		assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
		assertThat(delivery.path("lastStatus").asInt()).isEqualTo(204);
		assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
		assertThat(delivery.path("eventType").asText()).isEqualTo("CHAT_ASSIGNED");
		assertThat(delivery.path("chatId").asText()).isEqualTo("c1");
	}

	/**
	 * An endpoint that sends its status line and headers and then never finishes its body: the
	 * attempt ends as a failure within the bound (connect + request timeout + 5 s), its slot free.
	 */
	@Test
	void anAnswerThatNeverEndsIsCutOffWithinTheBound() throws Exception {
		java.net.ServerSocket endless = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
		this.closing.add(endless);
		List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					java.net.Socket socket = endless.accept();
					held.add(socket);
					socket.getOutputStream()
						.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
					socket.getOutputStream().flush();
				}
			}
			catch (java.io.IOException ex) {
				// closed with the test
			}
		}, "endless-endpoint");
		acceptor.setDaemon(true);
		acceptor.start();
		this.closing.add(() -> held.forEach((socket) -> {
			try {
				socket.close();
			}
			catch (java.io.IOException ex) {
				// closing anyway
			}
		}));
		webhook("all", "http://127.0.0.1:" + endless.getLocalPort() + "/hook", List.of("CHAT_ASSIGNED"));
		status("a", "ACTIVE");
		chat("c1");

		Duration bound = this.properties.connectTimeout().plus(this.properties.requestTimeout()).plusSeconds(5);
		await().atMost(bound.plusSeconds(20))
			.untilAsserted(() -> assertThat(delivery("all").path("lastError").asText()).contains("no answer within"));
		assertThat(delivery("all").path("status").asText()).isEqualTo("PENDING");
	}

	@Test
	void anAnswerLostWithItsNodeIsSentAgainOnceTheLeaseRunsOut() {
		WebhookReceiver receiver = receiver();
		webhook("all", receiver.url(), List.of("CHAT_ASSIGNED"));
		// the receiver gets the request and answers 200; the node "dies" before recording it
		this.gates.at(Point.WEBHOOK_ANSWERED, this.company, "c1")
			.passing()
			.failing(1, () -> new IllegalStateException("injected: the node dies before it records the answer"));
		status("a", "ACTIVE");
		chat("c1");
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.of(this.company).size() == 1);
		Instant answered = Instant.now();
		assertThat(delivery("all").path("status").asText()).isEqualTo("PENDING");
		await().atMost(this.properties.lease().plusSeconds(20)).until(() -> receiver.of(this.company).size() == 2);
		assertThat(Duration.between(answered, Instant.now())).isGreaterThanOrEqualTo(this.properties.lease().minusSeconds(1));
		List<WebhookReceiver.Received> got = receiver.of(this.company);
		assertThat(got).extracting((r) -> r.header("X-AutoAssign-Event-Id")).containsOnly(
				got.get(0).header("X-AutoAssign-Event-Id"));
		assertThat(got).extracting((r) -> r.header("X-AutoAssign-Delivery-Attempt")).containsExactly("1", "2");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(delivery("all").path("status").asText()).isEqualTo("DELIVERED"));
	}

	@Test
	void aDeadEndpointDoesNotHoldAHealthyOnesDeliveries() {
		CountDownLatch never = new CountDownLatch(1);
		WebhookReceiver dead = receiver().answering((r) -> {
			try {
				never.await(2, TimeUnit.MINUTES); // holds every request it gets
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return 200;
		});
		this.closing.add(0, never::countDown);
		WebhookReceiver healthy = receiver();
		webhook("dead", dead.url(), null);
		webhook("healthy", healthy.url(), null);
		config(Map.of("maxChatsPerAgent", 100));
		status("a", "ACTIVE");
		// more events than the dead endpoint may have requests open at once
		int chats = this.properties.maxInFlightPerEndpoint() + 10;
		for (int i = 1; i <= chats; i++) {
			chat("c" + i);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> healthy.of(this.company).size() >= chats + 1);
		assertThat(deadTried()).isPositive();
		assertThat(dead.received()).isEmpty(); // nothing answered there
		// every healthy delivery was acknowledged sooner than one dead request could time out
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(deliveries("healthy", "?status=DELIVERED&limit=1000").path("deliveries"))
				.hasSize(chats + 1));
		for (JsonNode delivery : deliveries("healthy", "?limit=1000").path("deliveries")) {
			Duration lag = Duration.between(Instant.parse(delivery.path("createdAt").asText()),
					Instant.parse(delivery.path("deliveredAt").asText()));
			assertThat(lag).as("lag of %s", delivery.path("eventId").asText())
				.isLessThan(this.properties.requestTimeout());
		}
		assertThat(deliveries("dead", "?status=DELIVERED").path("deliveries")).isEmpty();
	}

	@Test
	void theMetricsCountWhatTheWebhooksDid() {
		Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
		WebhookReceiver receiver = receiver()
			.answering((r) -> refusedOnce.add(r.header("X-AutoAssign-Event-Id")) ? 500 : 200);
		webhook("all", receiver.url(), List.of("CHAT_ASSIGNED"));
		status("a", "ACTIVE");
		Map<String, Double> before = scrape();
		chat("c1");
		chat("c2");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(deliveries("all", "?status=DELIVERED").path("deliveries")).hasSize(2));
		// the counters move just after the rows are written
		await().atMost(Duration.ofSeconds(10)).until(() -> delta(before, scrape(),
				"autoassign_webhook_deliveries_total{outcome=\"delivered\"}") >= 2.0);
		Map<String, Double> after = scrape();
		assertThat(delta(before, after, "autoassign_webhook_deliveries_total{outcome=\"delivered\"}")).isEqualTo(2.0);
		assertThat(delta(before, after, "autoassign_webhook_deliveries_total{outcome=\"retried\"}")).isEqualTo(2.0);
		assertThat(delta(before, after, "autoassign_webhook_deliveries_total{outcome=\"failed\"}")).isZero();
		assertThat(delta(before, after, "autoassign_webhook_lag_seconds_count")).isEqualTo(2.0);
		assertThat(after).containsKeys("autoassign_webhook_pending", "autoassign_webhook_oldest_pending_seconds");
	}

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$",
			Pattern.MULTILINE);

	private Map<String, Double> scrape() {
		Api.Response response = this.api.sendAuthorized("GET", "/actuator/prometheus", null, "Basic "
				+ Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8)));
		assertThat(response.status()).isEqualTo(200);
		Map<String, Double> samples = new HashMap<>();
		Matcher matcher = SAMPLE.matcher(response.raw().body());
		while (matcher.find()) {
			String labels = matcher.group(2) == null ? "" : matcher.group(2).replace(",}", "}");
			samples.put(matcher.group(1) + labels, Double.parseDouble(matcher.group(3)));
		}
		return samples;
	}

	private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
		return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
	}

	private int deadTried() {
		return this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
				+ "and webhook_id = 'dead' and attempts > 0", Integer.class, this.company);
	}

	// --- helpers

	static void assertVerifies(WebhookReceiver.Received request, String secret) {
		String signature = request.header("X-AutoAssign-Signature");
		assertThat(signature).matches("t=[0-9]+,v1=[0-9a-f]{64}");
		String t = signature.substring(2, signature.indexOf(','));
		assertThat(t).isEqualTo(request.header("X-AutoAssign-Timestamp"));
		String v1 = signature.substring(signature.indexOf("v1=") + 3);
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			String expected = HexFormat.of()
				.formatHex(mac.doFinal((t + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
			assertThat(v1).isEqualTo(expected);
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new AssertionError(ex);
		}
	}

	private int pending() {
		return this.jdbc.queryForObject("select count(*) from aa_webhook_delivery where company_id = ? "
				+ "and status = 'PENDING'", Integer.class, this.company);
	}

	private WebhookReceiver receiver() {
		WebhookReceiver receiver = WebhookReceiver.started();
		this.closing.add(receiver);
		return receiver;
	}

	private Api.Response webhook(String id, String url, List<String> events) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("url", url);
		body.put("secret", SECRET);
		if (events != null) {
			body.put("events", events);
		}
		Api.Response response = this.api.put(base() + "/webhooks/" + id, body);
		assertThat(response.status()).as(response.body().toString()).isBetween(200, 201);
		return response;
	}

	private JsonNode deliveries(String webhookId, String query) {
		Api.Response response = this.api.get(base() + "/webhooks/" + webhookId + "/deliveries" + query);
		assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
		return response.body();
	}

	private JsonNode delivery(String webhookId) {
		JsonNode page = deliveries(webhookId, "").path("deliveries");
		assertThat(page).hasSize(1);
		return page.get(0);
	}

	private void config(Map<String, Object> patch) {
		assertThat(this.api.patch(base() + "/auto-assign", patch).status()).isEqualTo(200);
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
