package io.autoassign.assignment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/**
 * Strategy decisions per second through the production routing script ({@code lib.lua} +
 * {@code assign.lua}, exactly as {@link RoutingScripts} loads it, called with EVALSHA as the
 * service calls it), next to a trivial script with the same keys and arguments on the same
 * Redis, the same connections and the same number of callers. Part of {@code bench/}.
 */
public final class DecisionBench {

	/**
	 * Operations per second of the bare script, and decisions per second per strategy and agent
	 * count; and the same calls' time inside Redis, microseconds per EVALSHA (INFO
	 * commandstats), which the clients' scheduling on a shared machine does not blur.
	 */
	public record Result(double bare, Map<String, Double> decisions, double bareMicros,
			Map<String, Double> decisionMicros) {
	}

	private DecisionBench() {
	}

	/** The figure of least_busy decisions of which a third prefer an agent. */
	public static final String PREFERENCES = "least_busy, a third preferring an agent";

	public static String key(String strategy, int agents) {
		return strategy + ", " + String.format(java.util.Locale.ROOT, "%,d", agents) + " agents";
	}

	public static Result run(String host, int port, int database, int[] agentCounts, Duration each, int callers) {
		try (JedisPooled redis = new JedisPooled(new HostAndPort(host, port),
				DefaultJedisClientConfig.builder().database(database).build())) {
			String assign = redis.scriptLoad(RoutingScripts.ASSIGN.getScriptAsString());
			String bare = redis.scriptLoad("return {'ASSIGNED', ARGV[8], ''}");
			Map<String, Double> decisions = new LinkedHashMap<>();
			Map<String, Double> micros = new LinkedHashMap<>();
			double bareRate = 0;
			double bareMicros = 0;
			for (int agents : agentCounts) {
				String company = "decisions-" + agents;
				prepare(host, port, database, company, agents);
				if (bareRate == 0) {
					resetStats(host, port);
					bareRate = measure(redis, bare, company, "round_robin", each, callers, 0);
					bareMicros = evalshaMicros(redis);
				}
				for (String strategy : List.of("round_robin", "least_busy", "random")) {
					resetStats(host, port);
					decisions.put(key(strategy, agents), measure(redis, assign, company, strategy, each, callers, 0));
					micros.put(key(strategy, agents), evalshaMicros(redis));
				}
				decisions.put(key(PREFERENCES, agents),
						measure(redis, assign, company, "least_busy", each, callers, agents));
			}
			return new Result(bareRate, decisions, bareMicros, micros);
		}
	}

	private static void resetStats(String host, int port) {
		try (Jedis jedis = new Jedis(host, port)) {
			jedis.configResetStat();
		}
	}

	/** Microseconds per EVALSHA inside Redis since the last CONFIG RESETSTAT. */
	private static double evalshaMicros(JedisPooled redis) {
		for (String line : redis.info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_evalsha:")) {
				for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
					if (field.startsWith("usec_per_call=")) {
						return Double.parseDouble(field.substring("usec_per_call=".length()));
					}
				}
			}
		}
		throw new IllegalStateException("No EVALSHA in INFO commandstats");
	}

	/** A company with {@code agents} ACTIVE agents of unlimited capacity, built by the production scripts. */
	private static void prepare(String host, int port, int database, String company, int agents) {
		try (Jedis jedis = new Jedis(host, port)) {
			jedis.select(database);
			jedis.flushDB();
			String prefix = RoutingKeys.prefix(company);
			List<String> keys = RoutingKeys.scriptKeys(company);
			jedis.eval(RoutingScripts.SYNC_CONFIG.getScriptAsString(), keys, List.of(prefix, "", "-1", "1"));
			jedis.set(RoutingKeys.loaded(company), "bench");
			String syncAgent = jedis.scriptLoad(RoutingScripts.SYNC_AGENT.getScriptAsString());
			Pipeline pipeline = jedis.pipelined();
			for (int i = 0; i < agents; i++) {
				pipeline.evalsha(syncAgent, keys, List.of(prefix, "", String.format("agent%06d", i), "AGENT", "ACTIVE", "",
						"", "1"));
			}
			pipeline.sync();
			long eligible = jedis.zcard(RoutingKeys.eligible(company, RoutingKeys.ALL_AGENTS));
			if (eligible != agents) {
				throw new IllegalStateException("Expected " + agents + " eligible agents, found " + eligible);
			}
		}
	}

	/**
	 * With {@code preferring} agents, every third chat prefers one of them at random (and may wait
	 * for it), as with preferredAgentId or a returning member.
	 */
	private static double measure(JedisPooled redis, String sha, String company, String strategy, Duration each,
			int callers, int preferring) {
		List<String> keys = RoutingKeys.scriptKeys(company);
		String prefix = RoutingKeys.prefix(company);
		return QueueBench.measure(each, callers, (caller, n) -> {
			String chat = strategy + "-" + caller + "-" + n;
			// ARGV: prefix, transaction, chat, its committed state (a new chat's, as in production:
			// NONE, settled), pool, strategy, random
			String preferred = preferring > 0 && n % 3 == 0
					? String.format("agent%06d", ThreadLocalRandom.current().nextInt(preferring)) : "";
			Object result = redis.evalsha(sha, keys, List.of(prefix, "bench", chat, "NONE", "", "", "",
					RoutingKeys.ALL_AGENTS, strategy, Double.toString(ThreadLocalRandom.current().nextDouble()),
					preferred, preferred.isEmpty() ? "0" : "1"));
			if (!(result instanceof List<?> list) || !"ASSIGNED".equals(String.valueOf(list.get(0)))) {
				throw new IllegalStateException("Not assigned: " + result);
			}
		});
	}

}
