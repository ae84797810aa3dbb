package io.autoassign.assignment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.autoassign.chat.Priority;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/**
 * The queue's steps per second through the production scripts ({@code lib.lua} with
 * {@code enqueue.lua}, {@code release.lua} + {@code finish.lua}, {@code next_dispatch.lua},
 * {@code reprioritize.lua}, loaded as {@link RoutingScripts} loads them and called with EVALSHA
 * as the service calls them), with a short and a long queue already waiting, of NORMAL chats
 * only or of mixed priorities. Part of {@code bench/}.
 * <ul>
 * <li><em>queue step</em>: a new chat takes its place (its priority's rank) and leaves the queue
 * again (the two steps of a dequeue), so the queue keeps its length: three script calls;</li>
 * <li><em>dispatch read</em>: the head the dispatch would take next;</li>
 * <li><em>priority change</em>: a waiting chat moves to the place of another priority.</li>
 * </ul>
 */
public final class QueueBench {

	private static final Priority[] PRIORITIES = Priority.values();

	private QueueBench() {
	}

	public static String key(String step, String mix, int queued) {
		return step + ", " + mix + ", " + String.format(java.util.Locale.ROOT, "%,d", queued) + " queued";
	}

	/** Steps per second by {@link #key}. */
	public static Map<String, Double> run(String host, int port, int database, int[] queueLengths, Duration each,
			int callers) {
		try (JedisPooled redis = new JedisPooled(new HostAndPort(host, port),
				DefaultJedisClientConfig.builder().database(database).build())) {
			String enqueue = redis.scriptLoad(RoutingScripts.ENQUEUE.getScriptAsString());
			String release = redis.scriptLoad(RoutingScripts.RELEASE.getScriptAsString());
			String finish = redis.scriptLoad(RoutingScripts.FINISH.getScriptAsString());
			String nextDispatch = redis.scriptLoad(RoutingScripts.NEXT_DISPATCH.getScriptAsString());
			String reprioritize = redis.scriptLoad(RoutingScripts.REPRIORITIZE.getScriptAsString());
			Map<String, Double> rates = new LinkedHashMap<>();
			for (String mix : List.of("NORMAL only", "mixed priorities")) {
				boolean mixed = mix.startsWith("mixed");
				for (int queued : queueLengths) {
					String company = "queue-" + queued + (mixed ? "-mixed" : "");
					prepare(host, port, database, company, queued, mixed, enqueue);
					List<String> keys = RoutingKeys.scriptKeys(company);
					String prefix = RoutingKeys.prefix(company);
					rates.put(key("queue step", mix, queued), measure(each, callers, (caller, n) -> {
						String chat = "new-" + caller + "-" + n;
						String tx = "tx-" + chat;
						call(redis, enqueue, keys, prefix, tx, chat, "NONE", "", "", "", RoutingKeys.ALL_AGENTS,
								Long.toString(System.currentTimeMillis() * 1000), offset(mixed));
						call(redis, release, keys, prefix, tx, chat, "", "", "", "");
						call(redis, finish, keys, prefix, tx, chat);
					}));
					rates.put(key("dispatch read", mix, queued), measure(each, callers, (caller, n) -> {
						Object head = redis.evalsha(nextDispatch, keys, List.of(prefix, "read-" + caller));
						if (!(head instanceof List<?> list) || !"CHAT".equals(String.valueOf(list.get(0)))) {
							throw new IllegalStateException("No head: " + head);
						}
					}));
					rates.put(key("priority change", mix, queued), measure(each, callers, (caller, n) -> {
						String chat = "w" + ThreadLocalRandom.current().nextInt(queued);
						Object moved = call(redis, reprioritize, keys, prefix, "p-" + caller + "-" + n, chat, "", "", "", "",
								offset(true));
						if (!(moved instanceof List<?> list) || !"MOVED".equals(String.valueOf(list.get(0)))) {
							throw new IllegalStateException("Not moved: " + moved);
						}
					}));
				}
			}
			return rates;
		}
	}

	private static String offset(boolean mixed) {
		Priority priority = mixed ? PRIORITIES[ThreadLocalRandom.current().nextInt(PRIORITIES.length)] : Priority.NORMAL;
		return Long.toString(priority.queueOffset());
	}

	private static Object call(JedisPooled redis, String sha, List<String> keys, String... args) {
		return redis.evalsha(sha, keys, List.of(args));
	}

	/**
	 * A company with one ACTIVE agent of unlimited capacity (so that its pool can be dispatched)
	 * and {@code queued} chats waiting, built by the production scripts.
	 */
	private static void prepare(String host, int port, int database, String company, int queued, boolean mixed,
			String enqueue) {
		try (Jedis jedis = new Jedis(host, port)) {
			jedis.select(database);
			jedis.flushDB();
			String prefix = RoutingKeys.prefix(company);
			List<String> keys = RoutingKeys.scriptKeys(company);
			jedis.eval(RoutingScripts.SYNC_CONFIG.getScriptAsString(), keys, List.of(prefix, "", "-1", "1"));
			jedis.set(RoutingKeys.loaded(company), "bench");
			jedis.eval(RoutingScripts.SYNC_AGENT.getScriptAsString(), keys,
					List.of(prefix, "", "agent", "AGENT", "ACTIVE", "", "", "1"));
			Pipeline pipeline = jedis.pipelined();
			long micros = System.currentTimeMillis() * 1000;
			for (int i = 0; i < queued; i++) {
				pipeline.evalsha(enqueue, keys, List.of(prefix, "fill", "w" + i, "NONE", "", "", "", RoutingKeys.ALL_AGENTS,
						Long.toString(micros + i), offset(mixed)));
			}
			pipeline.sync();
			long length = jedis.zcard(RoutingKeys.queue(company));
			if (length != queued) {
				throw new IllegalStateException("Expected " + queued + " queued chats, found " + length);
			}
		}
	}

	/** One caller's n-th step (it throws when the step did not do what it should). */
	@FunctionalInterface
	interface Step {

		void run(int caller, long n);

	}

	/**
	 * Steps per second of {@code callers} threads each running {@code step} in a closed loop for
	 * a warm-up of a quarter of {@code each}, then {@code each} counted.
	 */
	static double measure(Duration each, int callers, Step step) {
		AtomicLong done = new AtomicLong();
		long warmupEnd = System.nanoTime() + each.toNanos() / 4;
		long end = warmupEnd + each.toNanos();
		CountDownLatch finished = new CountDownLatch(callers);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < callers; t++) {
			int caller = t;
			Thread thread = new Thread(() -> {
				long n = 0;
				long counted = 0;
				try {
					while (true) {
						long now = System.nanoTime();
						if (now >= end) {
							break;
						}
						step.run(caller, n++);
						if (now >= warmupEnd) {
							counted++;
						}
					}
					done.addAndGet(counted);
				}
				finally {
					finished.countDown();
				}
			});
			threads.add(thread);
			thread.start();
		}
		try {
			finished.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return done.get() / (each.toNanos() / 1e9);
	}

}
