package io.autoassign.assignment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.AutoAssignApplication;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reconciler, on a second node of the cluster with a one-second interval, while the first
 * node serves load: drift that no transaction is left to repair (a phantom load, a queued chat
 * whose creation never committed, a lost ledger entry; a queue left waiting beside a free agent
 * when a node died between its commit and its dispatch) is repaired within a few intervals, and
 * a company whose state is clean is never written to.
 */
@IntegrationTest
class RoutingReconcilerIntegrationTests {

	static final Duration INTERVAL = Duration.ofSeconds(1);

	static ConfigurableApplicationContext secondNode;

	static RoutingReconciler reconciler;

	@Autowired
	Api api;

	@Autowired
	RoutingState routing;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	PausePoints pausePoints;

	ExecutorService threads;

	Gates gates;

	@BeforeAll
	static void startSecondNode() {
		secondNode = new SpringApplicationBuilder(AutoAssignApplication.class).profiles("test")
			.run("--server.port=0", "--auto-assign.reconciler-interval=" + INTERVAL.toMillis() + "ms",
					"--auto-assign.rebuild-routing-on-start=false");
		reconciler = secondNode.getBean(RoutingReconciler.class);
	}

	@AfterAll
	static void stopSecondNode() {
		secondNode.close();
	}

	@BeforeEach
	void setUp() {
		this.threads = Executors.newCachedThreadPool();
		this.gates = Gates.install(this.pausePoints);
	}

	@AfterEach
	void tearDown() throws InterruptedException {
		this.gates.close();
		this.threads.shutdown();
		assertThat(this.threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
	}

	@Test
	void driftIsRepairedWithinAFewIntervalsWhileLoadRunsAndACleanCompanyIsNeverTouched() throws Exception {
		String drifted = company();
		String clean = company();
		this.api.post(base(drifted) + "/chats", Map.of("chatId", "keep", "member", Map.of("id", "m")));
		String keeper = this.api.get(base(drifted) + "/chats/keep").text("assignedAgentId");
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger operations = new AtomicInteger();
		List<Future<?>> load = List.of(this.threads.submit(() -> churn(drifted, done, operations)),
				this.threads.submit(() -> churn(clean, done, operations)));
		await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() > 20);

		// a phantom slot on agent a (a dead node's reservation nobody gives back)
		this.redis.opsForHash().increment(RoutingKeys.load(drifted), "a", 1);
		// the ledger lost the entry of a chat that is ASSIGNED in the database
		this.redis.opsForHash().delete(RoutingKeys.ledger(drifted), "keep");
		// a queued chat whose creating transaction died before its commit, at the head
		String prefix = RoutingKeys.prefix(drifted);
		this.redis.opsForZSet().add(prefix + "q", "ghost", 0);
		this.redis.opsForZSet().add(prefix + "q:*", "ghost", 0);
		this.redis.opsForHash().put(prefix + "c:qpool", "ghost", "*");
		this.redis.opsForSet().add(prefix + "qpools", "*");

		await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			List<String> repairs = repairsOf(drifted);
			assertThat(repairs).anySatisfy((r) -> assertThat(r).startsWith("chat ghost: Redis routed it; the database has no such chat"));
			assertThat(repairs).anySatisfy((r) -> assertThat(r).startsWith("chat keep: Redis had it nowhere"));
			assertThat(repairs).anySatisfy((r) -> assertThat(r).startsWith("counter load:a:"));
			assertThat(this.routing.queue(drifted)).doesNotContain("ghost");
			assertThat(this.routing.holder(drifted, "keep")).contains(keeper);
		});
		int during = operations.get();
		await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() > during + 20);
		done.set(true);
		for (Future<?> f : load) {
			f.get(1, TimeUnit.MINUTES);
		}

		assertThat(repairsOf(clean)).isEmpty();
		for (String company : List.of(drifted, clean)) {
			assertThat(this.invariants.checkSettled(company, 20, Duration.ofMillis(500)).report().violations())
				.as(company)
				.isEmpty();
		}
	}

	@Test
	void aQueueLeftWaitingBesideAFreeAgentIsDispatchedByTheReconciler() throws Exception {
		String company = Api.newCompany();
		this.api.patch(base(company) + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.put(base(company) + "/agents/a", Map.of("name", "a", "role", "AGENT"));
		this.api.put(base(company) + "/agents/a/status", Map.of("status", "ACTIVE"));
		this.api.post(base(company) + "/chats", Map.of("chatId", "c1", "member", Map.of("id", "m")));
		this.api.post(base(company) + "/chats", Map.of("chatId", "q", "member", Map.of("id", "m")));
		// the node that closes c1 commits and then never dispatches (as if it died right there)
		Gates.Gate dispatch = this.gates.at(Point.BEFORE_DISPATCH, company);
		Future<Api.Response> close = this.threads.submit(() -> this.api.post(base(company) + "/chats/c1/close", null));
		dispatch.awaitReached();

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.api.get(base(company) + "/chats/q").text("assignedAgentId")).isEqualTo("a"));
		dispatch.open();
		assertThat(close.get(1, TimeUnit.MINUTES).status()).isEqualTo(200);
		assertThat(repairsOf(company)).isEmpty();
		assertThat(this.invariants.checkSettled(company, 10, Duration.ofMillis(500)).report().violations()).isEmpty();
	}

	/** Chats created and closed on the first node, agents a and b (capacity 2). */
	private void churn(String company, AtomicBoolean done, AtomicInteger operations) {
		int n = 0;
		while (!done.get()) {
			String chat = "load-" + (n++);
			this.api.post(base(company) + "/chats", Map.of("chatId", chat, "member", Map.of("id", "m")));
			operations.incrementAndGet();
			if (n > 2) {
				String older = "load-" + ThreadLocalRandom.current().nextInt(n - 2);
				this.api.post(base(company) + "/chats/" + older + "/close", null);
				operations.incrementAndGet();
			}
		}
	}

	private String company() {
		String company = Api.newCompany();
		this.api.patch(base(company) + "/auto-assign", Map.of("maxChatsPerAgent", 3));
		for (String agent : List.of("a", "b")) {
			this.api.put(base(company) + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
			this.api.put(base(company) + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
		}
		return company;
	}

	private static List<String> repairsOf(String company) {
		return reconciler.recentRepairs()
			.stream()
			.filter((r) -> r.companyId().equals(company))
			.map(RoutingReconciler.Repair::what)
			.toList();
	}

	private static String base(String company) {
		return "/api/v1/companies/" + company;
	}

}
