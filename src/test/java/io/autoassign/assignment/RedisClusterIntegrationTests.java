package io.autoassign.assignment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.RedisClusterServers;
import io.autoassign.support.TestInfrastructure;
import io.autoassign.support.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import redis.clients.jedis.Jedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only a Redis Cluster can do to the routing state: spread companies over masters, and
 * lose one master's keys while the others keep theirs. Runs in the cluster run only
 * ({@code mvn -Predis-cluster test}, on the three masters {@link TestInfrastructure} started).
 */
@IntegrationTest
@EnabledIfSystemProperty(named = TestRedis.CLUSTER_MODE_PROPERTY, matches = "true")
class RedisClusterIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	RoutingState router;

	@Autowired
	RoutingRebuilder rebuilder;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	InvariantChecker invariants;

	@Test
	void everyKeyOfACompanyLivesOnTheMasterOfItsSlot() {
		assertThat(RoutingRebuilder.isCluster(this.redis.getConnectionFactory())).as("the application's Redis").isTrue();
		RedisClusterServers cluster = TestInfrastructure.cluster();
		String company = Api.newCompany();
		companyWithAQueue(company);
		this.api.post("/api/v1/companies/" + company + "/chats/c1/close", null);
		assertThat(this.api.get("/api/v1/companies/" + company + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.api.get("/api/v1/companies/" + company + "/queue").status()).isEqualTo(200);

		int home = cluster.portOf(RoutingKeys.loaded(company));
		List<String> keys = new ArrayList<>();
		for (int port : cluster.ports()) {
			try (Jedis jedis = new Jedis("127.0.0.1", port)) {
				Set<String> found = jedis.keys("*{" + company + "}*");
				if (port != home) {
					assertThat(found).as("keys of %s on master %d", company, port).isEmpty();
				}
				keys.addAll(found);
			}
		}
		// the routing state and the queue drain history in one slot (the rate limiter's bucket,
		// which unlimited companies never write, in RateLimitScriptTests of the cluster run)
		assertThat(keys).contains(RoutingKeys.loaded(company), RoutingKeys.ledger(company),
				RoutingKeys.drain(company, RoutingKeys.ALL_AGENTS));
	}

	/**
	 * A master restarts empty (no persistence, no replica): the companies of its slots lose their
	 * routing state while the epoch key, on another master, stays. The watchdog rebuilds them
	 * without waiting for an operation, leaves the other masters' companies alone, and the queue
	 * drains in order afterwards. While the master is down, its companies' requests answer 503
 * and the other companies keep working. Red before the watchdog looked at each company's marker: it saw
	 * the epoch and never looked again.
	 */
	@Test
	void aMasterThatRestartsEmptyHasItsCompaniesRebuiltWithoutAnOperation() throws Exception {
		RedisClusterServers cluster = TestInfrastructure.cluster();
		// as the start leaves it (an earlier test of the run may have emptied every master)
		this.redis.opsForValue().setIfAbsent(RoutingKeys.EPOCH, "test");
		int epochMaster = cluster.portOf(RoutingKeys.EPOCH);
		String lost = companyOnAnotherMasterThan(cluster, epochMaster);
		int lostMaster = cluster.portOf(RoutingKeys.loaded(lost));
		String kept = companyOnAnotherMasterThan(cluster, lostMaster);
		companyWithAQueue(lost);
		companyWithAQueue(kept);
		int keptRebuilds = this.rebuilder.rebuildCount(kept);

		cluster.stop(lostMaster);
		// meanwhile the lost master's company answers 503 and keeps nothing; the others work
		assertThat(this.api.post("/api/v1/companies/" + lost + "/chats",
				Map.of("chatId", "c3", "member", Map.of("id", "m"))).status()).isEqualTo(503);
		Api.Response queuedMeanwhile = this.api.post("/api/v1/companies/" + kept + "/chats",
				Map.of("chatId", "c3", "member", Map.of("id", "m")));
		assertThat(queuedMeanwhile.status()).isEqualTo(201);
		assertThat(queuedMeanwhile.body().get("queuePosition").intValue()).isEqualTo(2);
		cluster.restart(lostMaster);

		assertThat(this.redis.hasKey(RoutingKeys.EPOCH)).as("the epoch on another master").isTrue();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.router.queue(lost)).containsExactly("c2");
			assertThat(this.router.holder(lost, "c1")).contains("a");
		});
		assertThat(this.router.loads(lost)).containsEntry("a", 1);
		assertThat(this.rebuilder.rebuildCount(kept)).as("the company on a master that kept its keys")
			.isEqualTo(keptRebuilds);
		assertThat(this.router.queue(kept)).containsExactly("c2", "c3");
		assertThat(this.api.get("/api/v1/companies/" + lost + "/chats/c3").status()).isEqualTo(404);

		assertThat(this.api.post("/api/v1/companies/" + lost + "/chats/c1/close", null).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/companies/" + lost + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.router.queue(lost)).isEmpty();
		assertThat(this.invariants.check(lost).violations()).isEmpty();
		assertThat(this.invariants.check(kept).violations()).isEmpty();
	}

	/** One agent of capacity 1 with c1, and c2 queued. */
	private void companyWithAQueue(String company) {
		String base = "/api/v1/companies/" + company;
		assertThat(this.api.patch(base + "/auto-assign", Map.of("maxChatsPerAgent", 1)).status()).isEqualTo(200);
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		for (String chat : List.of("c1", "c2")) {
			assertThat(this.api.post(base + "/chats", Map.of("chatId", chat, "member", Map.of("id", "m"))).status())
				.isEqualTo(201);
		}
		assertThat(this.router.queue(company)).containsExactly("c2");
		assertThat(this.router.holder(company, "c1")).contains("a");
	}

	private static String companyOnAnotherMasterThan(RedisClusterServers cluster, int port) {
		for (int attempt = 0; attempt < 100; attempt++) {
			String company = Api.newCompany();
			if (cluster.portOf(RoutingKeys.loaded(company)) != port) {
				return company;
			}
		}
		throw new IllegalStateException("every company landed on master " + port);
	}

}
