package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing scripts themselves against a real Redis, boundary cases first.
 */
class RoutingScriptsTests {

	private static JedisConnectionFactory factory;

	private static StringRedisTemplate redis;

	private final RoutingScripts scripts = new RoutingScripts();

	private String company;

	@BeforeAll
	static void connect() {
		java.net.URI uri = java.net.URI.create(System.getenv().getOrDefault("AUTO_ASSIGN_TEST_REDIS_URL",
				"redis://127.0.0.1:6379/1"));
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		String path = uri.getPath();
		configuration.setDatabase(path == null || path.length() < 2 ? 0 : Integer.parseInt(path.substring(1)));
		factory = new JedisConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		redis = new StringRedisTemplate(factory);
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@BeforeEach
	void newCompany() {
		this.company = "lua-" + UUID.randomUUID();
		redis.opsForValue().set(RoutingKeys.loaded(this.company), "test");
		capacity(2);
	}

	@AfterEach
	void removeCompany() {
		run(this.scripts.reset);
	}

	// ---- capacity

	@Test
	void anAgentAtExactlyItsCapacityReceivesNoMoreAndTheChatIsQueued() {
		agent("a", "ACTIVE");
		assertThat(assign("c1", "*", "least_busy")).containsExactly("ASSIGNED", "a", "");
		assertThat(assign("c2", "*", "least_busy")).containsExactly("ASSIGNED", "a", "");
		assertThat(eligible("*")).isEmpty();
		assertThat(assign("c3", "*", "least_busy")).containsExactly("QUEUED", "1", 1L, "");
		assertThat(load("a")).isEqualTo(2);
	}

	@Test
	void aReleasedSlotComesBackOnlyWhenTheReleaseIsFinished() {
		agent("a", "ACTIVE");
		assign("c1", "*", "round_robin");
		assign("c2", "*", "round_robin");
		assertThat(run(this.scripts.release, "c1")).containsExactly("RELEASED", "a", 0L);
		// the releasing transaction has not committed: the slot is still taken
		assertThat(eligible("*")).isEmpty();
		assertThat(assign("c3", "*", "least_busy")).first().isEqualTo("QUEUED");
		assertThat(run(this.scripts.release, "c1")).containsExactly("RELEASED", "", 0L);
		assertThat(run(this.scripts.finishRelease, "c1")).containsExactly("OK", "a", 1L);
		assertThat(eligible("*")).containsExactly("a");
		assertThat(load("a")).isEqualTo(1);
		assertThat(run(this.scripts.finishRelease, "c1")).containsExactly("OK");
		assertThat(load("a")).isEqualTo(1);
	}

	@Test
	void aRolledBackReleaseKeepsTheChatOnItsSlot() {
		agent("a", "ACTIVE");
		assign("c1", "*", "least_busy");
		assign("c2", "*", "least_busy");
		run(this.scripts.release, "c1");
		// the database still says c1 is with a
		assertThat(run(this.scripts.syncChat, "c1", "ASSIGNED", "a", "", "", "0")).containsExactly("OK", "");
		assertThat(run(this.scripts.finishRelease, "c1")).containsExactly("OK");
		assertThat(load("a")).isEqualTo(2);
		assertThat(redis.opsForHash().get(RoutingKeys.ledger(this.company), "c1")).isEqualTo("a");
		assertThat(eligible("*")).isEmpty();
	}

	@Test
	void unlimitedCapacityNeverFills() {
		capacity(-1);
		agent("a", "ACTIVE");
		for (int i = 0; i < 500; i++) {
			assertThat(assign("c" + i, "*", "least_busy")).element(1).isEqualTo("a");
		}
		assertThat(load("a")).isEqualTo(500);
		assertThat(eligible("*")).containsExactly("a");
	}

	@Test
	void loweringCapacityTakesFullAgentsOutAndRaisingItBringsThemBack() {
		capacity(3);
		agent("a", "ACTIVE");
		assign("c1", "*", "least_busy");
		assign("c2", "*", "least_busy");
		capacity(2);
		assertThat(eligible("*")).isEmpty();
		assertThat(load("a")).isEqualTo(2);
		capacity(5);
		assertThat(eligible("*")).containsExactly("a");
	}

	@Test
	void onlyActiveAgentsAreEligible() {
		agent("a", "INACTIVE");
		agent("b", "OFFLINE");
		agent("admin", "ACTIVE", "ADMIN", "");
		assertThat(assign("c1", "*", "random")).first().isEqualTo("QUEUED");
		agent("a", "ACTIVE");
		assertThat(eligible("*")).containsExactly("a");
	}

	// ---- groups

	@Test
	void anEmptyGroupQueuesTheChat() {
		agent("a", "ACTIVE", "AGENT", "support");
		assertThat(assign("c1", "g:sales", "least_busy")).first().isEqualTo("QUEUED");
		assertThat(assign("c2", "g:support", "least_busy")).containsExactly("ASSIGNED", "a", "");
		assertThat(assign("c3", "*", "least_busy")).containsExactly("ASSIGNED", "a", "");
	}

	@Test
	void changingGroupsMovesTheAgentBetweenPools() {
		agent("a", "ACTIVE", "AGENT", "sales,support");
		assertThat(eligible("g:sales")).containsExactly("a");
		agent("a", "ACTIVE", "AGENT", "support");
		assertThat(eligible("g:sales")).isEmpty();
		assertThat(eligible("g:support")).containsExactly("a");
		assertThat(eligible("*")).containsExactly("a");
	}

	// ---- strategies

	@Test
	void roundRobinRotatesAndSkipsAnAgentRemovedMidRotation() {
		capacity(-1);
		agent("a", "ACTIVE");
		agent("b", "ACTIVE");
		agent("c", "ACTIVE");
		assertThat(picks("round_robin", 4)).containsExactly("a", "b", "c", "a");
		agent("b", "OFFLINE");
		assertThat(picks("round_robin", 3)).containsExactly("c", "a", "c");
		agent("b", "ACTIVE");
		assertThat(picks("round_robin", 3)).containsExactly("a", "b", "c");
	}

	@Test
	void roundRobinInsertsAJoiningAgentWithoutRestartingTheRotation() {
		capacity(-1);
		agent("a", "ACTIVE");
		agent("c", "ACTIVE");
		assertThat(picks("round_robin", 1)).containsExactly("a");
		agent("b", "ACTIVE");
		assertThat(picks("round_robin", 4)).containsExactly("b", "c", "a", "b");
	}

	@Test
	void roundRobinSkipsAnAgentThatIsFull() {
		agent("a", "ACTIVE");
		agent("b", "ACTIVE");
		agent("c", "ACTIVE");
		capacity(1);
		assertThat(assign("x1", "*", "round_robin")).element(1).isEqualTo("a");
		assertThat(assign("x2", "*", "round_robin")).element(1).isEqualTo("b");
		assertThat(assign("x3", "*", "round_robin")).element(1).isEqualTo("c");
		run(this.scripts.release, "x2");
		run(this.scripts.finishRelease, "x2");
		// The cursor is at c; a is full, so the rotation continues with b.
		assertThat(assign("x4", "*", "round_robin")).element(1).isEqualTo("b");
	}

	@Test
	void leastBusyPicksTheFewestChatsAndBreaksTiesByLongestWait() {
		capacity(-1);
		agent("a", "ACTIVE");
		agent("b", "ACTIVE");
		// Never assigned: the tie goes by id.
		assertThat(assign("c1", "*", "least_busy")).element(1).isEqualTo("a");
		assertThat(assign("c2", "*", "least_busy")).element(1).isEqualTo("b");
		// Both hold one; a was assigned longer ago.
		assertThat(assign("c3", "*", "least_busy")).element(1).isEqualTo("a");
		assertThat(assign("c4", "*", "least_busy")).element(1).isEqualTo("b");
		run(this.scripts.release, "c3");
		run(this.scripts.release, "c1");
		run(this.scripts.finishRelease, "c3", "c1");
		// a holds none now, b two.
		assertThat(assign("c5", "*", "least_busy")).element(1).isEqualTo("a");
		assertThat(assign("c6", "*", "least_busy")).element(1).isEqualTo("a");
		// 2 and 2: b was assigned longer ago than a.
		assertThat(assign("c7", "*", "least_busy")).element(1).isEqualTo("b");
	}

	@Test
	void randomMapsTheRandomNumberUniformlyOntoTheEligibleAgents() {
		capacity(-1);
		List<String> agents = List.of("a", "b", "c", "d", "e");
		agents.forEach((id) -> agent(id, "ACTIVE"));
		List<String> picked = new ArrayList<>();
		for (int i = 0; i < agents.size(); i++) {
			double r = (i + 0.5) / agents.size();
			picked.add((String) run(this.scripts.assign, "r" + i, "*", "random", Double.toString(r)).get(1));
		}
		assertThat(picked).containsExactlyElementsOf(agents);
		assertThat(run(this.scripts.assign, "edge", "*", "random", "0.9999999999").get(1)).isEqualTo("e");
	}

	// ---- the queue

	@Test
	void theQueueIsFifoAndAFreedAgentTakesTheOldestChatItMayServe() {
		capacity(1);
		agent("s", "ACTIVE", "AGENT", "sales");
		assign("busy", "*", "least_busy");
		assertThat(assign("q1", "g:support", "least_busy")).containsExactly("QUEUED", "1", 1L, "");
		assertThat(assign("q2", "*", "least_busy")).containsExactly("QUEUED", "2", 2L, "");
		assertThat(assign("q3", "g:sales", "least_busy")).containsExactly("QUEUED", "3", 3L, "");
		run(this.scripts.release, "busy");
		assertThat(run(this.scripts.peekQueue, "s")).containsExactly("NONE");
		run(this.scripts.finishRelease, "busy");
		// s may not serve q1 (support): the oldest it may serve is q2.
		assertThat(run(this.scripts.peekQueue, "s")).containsExactly("CHAT", "q2");
		assertThat(run(this.scripts.peekQueue, "s", "q2")).containsExactly("CHAT", "q3");
		assertThat(run(this.scripts.peekQueue, "s", "q2", "q3")).containsExactly("NONE");
		assertThat(run(this.scripts.assignFromQueue, "q2", "s", "least_busy", "0")).containsExactly("ASSIGNED", "s");
		assertThat(run(this.scripts.peekQueue, "s")).containsExactly("NONE");
		assertThat(redis.opsForZSet().range(RoutingKeys.queue(this.company), 0, -1)).containsExactly("q1", "q3");
		assertThat(run(this.scripts.assignFromQueue, "q3", "s", "least_busy", "0")).containsExactly("NOAGENT", 0L);
	}

	@Test
	void reroutingGivesUpTheOldSlotFirst() {
		agent("a", "ACTIVE");
		agent("b", "ACTIVE");
		assign("c1", "*", "least_busy");
		agent("a", "OFFLINE");
		assertThat(assign("c1", "*", "least_busy")).containsExactly("ASSIGNED", "b", "a");
		assertThat(load("a")).isEqualTo(1);
		assertThat(load("b")).isEqualTo(1);
		run(this.scripts.finishRelease, "c1");
		assertThat(load("a")).isZero();
	}

	@Test
	void moveOnlyEvensOutLoads() {
		capacity(-1);
		agent("a", "ACTIVE");
		assign("c1", "*", "least_busy");
		assign("c2", "*", "least_busy");
		agent("b", "ACTIVE");
		assertThat(run(this.scripts.move, "c1", "a", "b", "*")).containsExactly("MOVED");
		// a still holds c1's slot until the move commits, but balancing counts it as gone
		assertThat(load("a")).isEqualTo(2);
		assertThat(run(this.scripts.move, "c2", "a", "b", "*")).containsExactly("BALANCED");
		assertThat(run(this.scripts.move, "c1", "a", "b", "*")).containsExactly("STALE");
		assertThat(run(this.scripts.move, "c2", "a", "b", "g:sales")).containsExactly("INELIGIBLE");
	}

	@Test
	void syncChatWritesWhatTheDatabaseHolds() {
		agent("a", "ACTIVE");
		agent("b", "ACTIVE");
		assign("c1", "*", "least_busy");
		assertThat(run(this.scripts.syncChat, "c1", "ASSIGNED", "b", "", "", "0")).containsExactly("OK", "a");
		assertThat(load("a")).isZero();
		assertThat(load("b")).isEqualTo(1);
		assertThat(run(this.scripts.syncChat, "c1", "QUEUED", "", "7", "*", "0")).containsExactly("OK", "b");
		assertThat(redis.opsForZSet().score(RoutingKeys.queue(this.company), "c1")).isEqualTo(7.0);
		assertThat(run(this.scripts.syncChat, "c1", "NONE", "", "", "", "0")).containsExactly("OK", "");
		assertThat(redis.opsForZSet().size(RoutingKeys.queue(this.company))).isZero();
	}

	@Test
	void enqueuingIsIdempotent() {
		assertThat(run(this.scripts.enqueue, "c1", "*")).containsExactly("QUEUED", "1", 1L, "");
		assertThat(run(this.scripts.enqueue, "c2", "*")).containsExactly("QUEUED", "2", 2L, "");
		assertThat(run(this.scripts.enqueue, "c1", "*")).containsExactly("QUEUED", "1", 1L, "");
	}

	@Test
	void everyScriptRefusesAMissingCompany() {
		redis.delete(RoutingKeys.loaded(this.company));
		assertThat(run(this.scripts.assign, "c1", "*", "least_busy", "0")).containsExactly("NOTLOADED");
		assertThat(run(this.scripts.enqueue, "c1", "*")).containsExactly("NOTLOADED");
		assertThat(run(this.scripts.release, "c1")).containsExactly("NOTLOADED");
		assertThat(run(this.scripts.peekQueue, "a")).containsExactly("NOTLOADED");
		assertThat(run(this.scripts.assignFromQueue, "c1", "", "least_busy", "0")).containsExactly("NOTLOADED");
		assertThat(run(this.scripts.move, "c1", "a", "b", "*")).containsExactly("NOTLOADED");
	}

	// ---- scale

	@Test
	void aDecisionAmongTenThousandAgentsCostsWhatItCostsAmongTen() {
		Map<String, Long> small = new HashMap<>();
		Map<String, Long> large = new HashMap<>();
		capacity(-1);
		for (int i = 0; i < 10; i++) {
			agent(String.format("s%05d", i), "ACTIVE");
		}
		for (String strategy : new String[] { "least_busy", "round_robin", "random" }) {
			small.put(strategy, commandsPerDecision(strategy));
		}
		run(this.scripts.reset);
		redis.opsForValue().set(RoutingKeys.loaded(this.company), "test");
		capacity(-1);
		for (int i = 0; i < 10_000; i++) {
			agent(String.format("l%05d", i), "ACTIVE");
		}
		assertThat(eligible("*")).hasSize(10_000);
		for (String strategy : new String[] { "least_busy", "round_robin", "random" }) {
			large.put(strategy, commandsPerDecision(strategy));
		}
		// Every command a decision runs is O(log n) on a sorted set or O(1); their number does
		// not grow with the number of agents.
		assertThat(large).isEqualTo(small);
		assertThat(large.get("least_busy")).isPositive();
	}

	/**
	 * Commands of one decision. The counters are server-wide, so another client of the same
	 * Redis server can only add to a count: the least of a few probes is the decision's own.
	 */
	private long commandsPerDecision(String strategy) {
		assign("warm-" + strategy, "*", strategy);
		long least = Long.MAX_VALUE;
		for (int probe = 0; probe < 7; probe++) {
			long before = redisCommandCalls();
			assign("probe-" + strategy + "-" + probe, "*", strategy);
			least = Math.min(least, redisCommandCalls() - before);
		}
		return least;
	}

	/** Calls of the data commands the scripts use, server-wide, from INFO commandstats. */
	private static long redisCommandCalls() {
		try (RedisConnection connection = factory.getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			long calls = 0;
			for (String command : new String[] { "zadd", "zrem", "zrange", "zrangebylex", "zcard", "zscore", "zrank",
					"hget", "hset", "hdel", "hincrby", "incr", "time", "set", "get" }) {
				String value = stats.getProperty("cmdstat_" + command);
				if (value != null) {
					calls += Long.parseLong(value.replaceAll("^calls=(\\d+),.*$", "$1"));
				}
			}
			return calls;
		}
	}

	// ---- helpers

	private List<String> picks(String strategy, int count) {
		List<String> picked = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			List<Object> result = assign("rr-" + UUID.randomUUID(), "*", strategy);
			picked.add((String) result.get(1));
		}
		return picked;
	}

	/** The lifecycle's routing: assign, and queue when nobody may take the chat. */
	private List<Object> assign(String chat, String pool, String strategy) {
		List<Object> assigned = run(this.scripts.assign, chat, pool, strategy, "0.5");
		if ("ASSIGNED".equals(assigned.get(0))) {
			return assigned;
		}
		return run(this.scripts.enqueue, chat, pool);
	}

	private void capacity(int capacity) {
		run(this.scripts.syncConfig, Integer.toString(capacity), "1");
	}

	private void agent(String id, String status) {
		agent(id, status, "AGENT", "");
	}

	private void agent(String id, String status, String role, String groups) {
		run(this.scripts.syncAgent, id, role, status, groups, "", "1");
	}

	private int load(String agent) {
		Object load = redis.opsForHash().get(RoutingKeys.load(this.company), agent);
		return load == null ? 0 : Integer.parseInt(load.toString());
	}

	private List<String> eligible(String pool) {
		return new ArrayList<>(redis.opsForZSet().range(RoutingKeys.eligible(this.company, pool), 0, -1));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private List<Object> run(RedisScript<List> script, String... args) {
		Object[] argv = new Object[args.length + 1];
		argv[0] = RoutingKeys.prefix(this.company);
		System.arraycopy(args, 0, argv, 1, args.length);
		return redis.execute(script, RoutingKeys.scriptKeys(this.company), argv);
	}

}
