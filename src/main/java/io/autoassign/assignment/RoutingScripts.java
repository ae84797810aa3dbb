package io.autoassign.assignment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The typed client of the routing scripts under {@code src/main/resources/redis/}: one method
 * per script, each one atomic Redis step, each script prefixed with the shared {@code lib.lua}
 * and loaded once. It knows nothing of transactions or locks ({@link Router} adds those) and
 * answers {@link RoutingStateMissing} when the company's state is not in Redis.
 */
@Component
class RoutingScripts {

	/** Each script's name (its file), for its timer. */
	private static final Map<RedisScript<?>, String> NAMES = new IdentityHashMap<>();

	/** The shared header, with the pool names that {@link RoutingKeys} gives. */
	private static final String LIB = read("lib").replace("${ALL_AGENTS}", RoutingKeys.ALL_AGENTS)
		.replace("${GROUP_POOL}", RoutingKeys.GROUP_POOL)
		.replace("${LEVEL_SPAN}", Long.toString(Priority.LEVEL_SPAN));

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> ASSIGN = load("assign");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> ENQUEUE = load("enqueue");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> ASSIGN_FROM_QUEUE = load("assign_from_queue");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> NEXT_DISPATCH = load("next_dispatch");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> RELEASE = load("release");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> FINISH = load("finish");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> MOVE = load("move");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> PASS_ON = load("pass_on");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> REPRIORITIZE = load("reprioritize");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> SYNC_AGENT = load("sync_agent");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> SYNC_CONFIG = load("sync_config");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> SYNC_CHAT = load("sync_chat");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> RESET = load("reset");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> RECOUNT = load("recount");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> SNAPSHOT = load("snapshot");

	@SuppressWarnings("rawtypes")
	static final RedisScript<List> PROBE = load("probe");

	private final StringRedisTemplate redis;

	private final Map<RedisScript<?>, Timer> timers = new IdentityHashMap<>();

	RoutingScripts(StringRedisTemplate redis, MeterRegistry meters) {
		this.redis = redis;
		NAMES.forEach((script, name) -> this.timers.put(script, Timer.builder("autoassign.redis.script")
			.description("One routing step on Redis (a Lua script), by script")
			.tag("script", name)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofNanos(100_000))
			.maximumExpectedValue(Duration.ofSeconds(1))
			.register(meters)));
	}

	/** Runs a script, timed. */
	@SuppressWarnings("rawtypes")
	private List<Object> execute(RedisScript<List> script, List<String> keys, Object... argv) {
		long start = System.nanoTime();
		try {
			return this.redis.execute(script, keys, argv);
		}
		finally {
			this.timers.get(script).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * A chat's routing state as its database row holds it: 'ASSIGNED' to an agent, 'QUEUED' with
	 * its sequence in a pool, or 'NONE'.
	 */
	record Committed(String state, String agentId, Long queueSeq, String pool) {

		static final Committed NONE = new Committed("NONE", null, null, null);

		/** The state of a row ({@code null}: the chat does not exist). */
		static Committed of(Chat chat) {
			if (chat == null || !chat.isOpen()) {
				return NONE;
			}
			if (chat.assignmentStatus() == AssignmentStatus.ASSIGNED) {
				return new Committed("ASSIGNED", chat.assignedAgentId(), null, null);
			}
			if (chat.assignmentStatus() == AssignmentStatus.QUEUED && chat.queueSeq() != null) {
				return new Committed("QUEUED", null, chat.queueSeq(), chat.queuePool());
			}
			return NONE;
		}

		static Committed of(RoutingRows.Routed row) {
			return switch (row.status()) {
				case ASSIGNED -> new Committed("ASSIGNED", row.agentId(), null, null);
				case QUEUED -> row.queueSeq() == null ? NONE : new Committed("QUEUED", null, row.queueSeq(), row.pool());
				default -> NONE;
			};
		}

	}

	/** An assignment by strategy: the agent or none; and the agent whose slot the chat gave up. */
	record Decision(String agentId, String releasedAgentId, boolean preferredBusy) {

		boolean assigned() {
			return this.agentId != null;
		}

	}

	/**
	 * A queued chat: its queue sequence and 1-based position; the agent whose slot it gave up; and
	 * the time it was queued at, taken in the same step ({@code null} when it was queued already).
	 */
	record Queued(long queueSeq, int position, String releasedAgentId, Instant queuedAt) {
	}

	/** What assigning a queued chat did. */
	enum FromQueueOutcome {

		ASSIGNED, NOAGENT, NOTHEAD, NOTQUEUED

	}

	/** The outcome of assigning a queued chat, with the agent when assigned. */
	record FromQueue(FromQueueOutcome outcome, String agentId) {
	}

	/** What releasing a chat started to free (the slot or the queue place goes after the commit). */
	record Released(String agentId, boolean wasQueued) {
	}

	enum MoveResult {

		MOVED, STALE, INELIGIBLE, BALANCED, QUEUEFIRST

	}

	/** What finishing a committed transaction gave back. */
	record Finished(int slotsFreed, int eligibleAgain, int dequeued) {

		boolean capacityOrQueueChanged() {
			return this.slotsFreed > 0 || this.dequeued > 0;
		}

	}

	/** The head of a pool's queue to dispatch next. */
	record Head(String chatId, String pool) {
	}

	/** An agent's routing state after a sync. */
	record AgentRouting(boolean eligible, int load) {
	}

	/** One consistent reading of a company's routing state. */
	record Snapshot(boolean loaded, Map<String, String> ledger, Map<String, String> leaving,
			Map<String, Long> queue, Map<String, String> queuePools, Map<String, String> dequeuing,
			Map<String, Integer> loads, Map<String, Integer> leavingCounts) {
	}

	Decision assign(String companyId, String tx, String chatId, Committed committed, String pool, String strategy,
			double random) {
		return assign(companyId, tx, chatId, committed, pool, strategy, random, null, false);
	}

	/**
	 * With {@code preferred}: that agent when eligible and no older chat waits that it could serve;
	 * else, with {@code waitForPreferred}, nobody ({@link Decision#preferredBusy()}), or the strategy's.
	 */
	Decision assign(String companyId, String tx, String chatId, Committed committed, String pool, String strategy,
			double random, String preferred, boolean waitForPreferred) {
		List<Object> result = run(ASSIGN, companyId, tx, chatArgs(chatId, committed, pool, strategy,
				Double.toString(random), preferred == null ? "" : preferred, waitForPreferred ? "1" : "0"));
		return "ASSIGNED".equals(result.get(0)) ? new Decision(str(result, 1), emptyToNull(str(result, 2)), false)
				: new Decision(null, emptyToNull(str(result, 1)), "NOTPREFERRED".equals(result.get(0)));
	}

	Queued enqueue(String companyId, String tx, String chatId, Committed committed, String pool, Instant now,
			Priority priority) {
		long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
		List<Object> result = run(ENQUEUE, companyId, tx, chatArgs(chatId, committed, pool, Long.toString(micros),
				Long.toString(priority.queueOffset())));
		String queuedAt = str(result, 4);
		return new Queued((long) Double.parseDouble(str(result, 1)), num(result, 2), emptyToNull(str(result, 3)),
				queuedAt.isEmpty() ? null : Instant.EPOCH.plus(Long.parseLong(queuedAt), ChronoUnit.MICROS));
	}

	FromQueue assignFromQueue(String companyId, String tx, String chatId, Committed committed, String agentId,
			String strategy, double random, boolean fifo) {
		List<Object> result = run(ASSIGN_FROM_QUEUE, companyId, tx, chatArgs(chatId, committed,
				agentId == null ? "" : agentId, strategy, Double.toString(random), fifo ? "fifo" : "any"));
		FromQueueOutcome outcome = FromQueueOutcome.valueOf(str(result, 0));
		return new FromQueue(outcome, outcome == FromQueueOutcome.ASSIGNED ? str(result, 1) : null);
	}

	Released release(String companyId, String tx, String chatId, Committed committed) {
		List<Object> result = run(RELEASE, companyId, tx, chatArgs(chatId, committed));
		return new Released(emptyToNull(str(result, 1)), num(result, 2) == 1);
	}

	MoveResult move(String companyId, String tx, String chatId, Committed committed, String from, String to,
			String pool) {
		List<Object> result = run(MOVE, companyId, tx, chatArgs(chatId, committed, from, to, pool));
		return MoveResult.valueOf(str(result, 0));
	}

	/**
	 * Passes an assigned chat from {@code from} to the agent the strategy picks in the pool, none
	 * of {@code excluded}; the agent, or {@code null} when nobody may take it (or the chat is no
	 * longer {@code from}'s).
	 */
	String passOn(String companyId, String tx, String chatId, Committed committed, String from, String pool,
			String strategy, double random, Collection<String> excluded) {
		List<Object> result = run(PASS_ON, companyId, tx, chatArgs(chatId, committed, from, pool, strategy,
				Double.toString(random), String.join(",", excluded)));
		return "MOVED".equals(result.get(0)) ? str(result, 1) : null;
	}

	/**
	 * A queued chat's new rank, and its position before and after the move (the chats between
	 * the two moved by one toward {@code from}).
	 */
	record Reprioritized(long rank, int from, int position) {
	}

	/**
	 * Moves a queued chat to the place of its new priority; {@code null} when the chat is not
	 * queued.
	 */
	Reprioritized reprioritize(String companyId, String tx, String chatId, Committed committed, Priority priority) {
		List<Object> result = run(REPRIORITIZE, companyId, tx,
				chatArgs(chatId, committed, Long.toString(priority.queueOffset())));
		if (!"MOVED".equals(result.get(0))) {
			return null;
		}
		return new Reprioritized(Long.parseLong(str(result, 1)), num(result, 2), num(result, 3));
	}

	Finished finish(String companyId, String tx, Collection<String> chatIds) {
		List<Object> result = run(FINISH, companyId, tx, chatIds.toArray(new String[0]));
		return new Finished(num(result, 1), num(result, 2), num(result, 3));
	}

	Optional<Head> nextDispatch(String companyId, String tx, Collection<String> skipPools) {
		List<Object> result = run(NEXT_DISPATCH, companyId, tx, skipPools.toArray(new String[0]));
		return "CHAT".equals(result.get(0)) ? Optional.of(new Head(str(result, 1), str(result, 2))) : Optional.empty();
	}

	AgentRouting syncAgent(String companyId, String agentId, String role, String status, String groups,
			String lastAssignedMicros, boolean rebuilding) {
		List<Object> result = run(SYNC_AGENT, companyId, "", agentId, role, status, groups,
				lastAssignedMicros == null ? "" : lastAssignedMicros, rebuilding ? "1" : "0");
		return new AgentRouting(num(result, 1) == 1, num(result, 2));
	}

	void syncConfig(String companyId, int capacity, boolean rebuilding) {
		run(SYNC_CONFIG, companyId, "", Integer.toString(capacity), rebuilding ? "1" : "0");
	}

	/** Forces one chat's routing state; answers whether that changed anything. */
	boolean syncChat(String companyId, String chatId, Committed committed, boolean rebuilding) {
		List<Object> result = run(SYNC_CHAT, companyId, "", chatArgs(chatId, committed, rebuilding ? "1" : "0"));
		return num(result, 1) == 1;
	}

	/** Marks the company's state as built (with {@code onlyIfAbsent}, unless it is marked already). */
	void markLoaded(String companyId, String value, boolean onlyIfAbsent) {
		if (onlyIfAbsent) {
			this.redis.opsForValue().setIfAbsent(RoutingKeys.loaded(companyId), value);
		}
		else {
			this.redis.opsForValue().set(RoutingKeys.loaded(companyId), value);
		}
	}

	/** Whether the company's state is built. */
	boolean isLoaded(String companyId) {
		return Boolean.TRUE.equals(this.redis.hasKey(RoutingKeys.loaded(companyId)));
	}

	void reset(String companyId) {
		run(RESET, companyId, "");
	}

	/** The repairs the recount made (empty when every counter agreed), leaving {@code skip} alone. */
	List<String> recount(String companyId, Collection<String> skip) {
		List<Object> result = run(RECOUNT, companyId, "", skip.toArray(new String[0]));
		List<String> repairs = new ArrayList<>();
		for (int i = 1; i < result.size(); i++) {
			repairs.add(str(result, i));
		}
		return repairs;
	}

	@SuppressWarnings("unchecked")
	Snapshot snapshot(String companyId) {
		List<Object> result = execute(SNAPSHOT, RoutingKeys.scriptKeys(companyId),
				RoutingKeys.prefix(companyId), "");
		if (result == null || result.size() < 8) {
			throw new IllegalStateException("Routing snapshot returned " + result);
		}
		Map<String, Long> queue = new LinkedHashMap<>();
		List<Object> q = (List<Object>) result.get(3);
		for (int i = 0; i + 1 < q.size(); i += 2) {
			queue.put(q.get(i).toString(), (long) Double.parseDouble(q.get(i + 1).toString()));
		}
		return new Snapshot(num(result, 0) == 1, hash(result.get(1)), hash(result.get(2)), queue, hash(result.get(4)),
				hash(result.get(5)), counts(result.get(6)), counts(result.get(7)));
	}

	/** The reconciler's cheap look at a company (see probe.lua). */
	record Probe(boolean loaded, Map<String, Integer> loads, Map<String, Integer> leavingCounts, long ledgerSize,
			long queueSize, Map<String, String> leaving, Map<String, String> dequeuing,
			Map<String, String> dispatchable, boolean countersAddUp) {
	}

	Probe probe(String companyId) {
		List<Object> result = execute(PROBE, RoutingKeys.scriptKeys(companyId),
				RoutingKeys.prefix(companyId), "");
		if (result == null || result.size() < 9) {
			throw new IllegalStateException("Routing probe returned " + result);
		}
		return new Probe(num(result, 0) == 1, counts(result.get(1)), counts(result.get(2)), num(result, 3),
				num(result, 4), hash(result.get(5)), hash(result.get(6)), hash(result.get(7)), num(result, 8) == 1);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private List<Object> run(RedisScript<List> script, String companyId, String tx, String... args) {
		Object[] argv = new Object[args.length + 2];
		argv[0] = RoutingKeys.prefix(companyId);
		argv[1] = tx;
		System.arraycopy(args, 0, argv, 2, args.length);
		List<Object> result = execute(script, RoutingKeys.scriptKeys(companyId), argv);
		if (result == null || result.isEmpty()) {
			throw new IllegalStateException("Routing script returned nothing");
		}
		if ("NOTLOADED".equals(result.get(0))) {
			throw new RoutingStateMissing(companyId);
		}
		return result;
	}

	/** ARGV[3..7] of the per-chat scripts, then the script's own arguments. */
	private static String[] chatArgs(String chatId, Committed committed, String... rest) {
		String[] args = new String[5 + rest.length];
		args[0] = chatId;
		if (committed == null) {
			args[1] = "";
			args[2] = "";
			args[3] = "";
			args[4] = "";
		}
		else {
			args[1] = committed.state();
			args[2] = committed.agentId() == null ? "" : committed.agentId();
			args[3] = committed.queueSeq() == null ? "" : committed.queueSeq().toString();
			args[4] = committed.pool() == null ? "" : committed.pool();
		}
		System.arraycopy(rest, 0, args, 5, rest.length);
		return args;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> hash(Object flat) {
		List<Object> list = (List<Object>) flat;
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i + 1 < list.size(); i += 2) {
			map.put(list.get(i).toString(), list.get(i + 1).toString());
		}
		return map;
	}

	private static Map<String, Integer> counts(Object flat) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		hash(flat).forEach((key, value) -> counts.put(key, Integer.parseInt(value)));
		return counts;
	}

	@SuppressWarnings("rawtypes")
	private static RedisScript<List> load(String name) {
		RedisScript<List> script = new DefaultRedisScript<>(LIB + "\n" + read(name), List.class);
		NAMES.put(script, name);
		return script;
	}

	private static String read(String name) {
		try {
			return new ClassPathResource("redis/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String str(List<Object> result, int index) {
		Object value = result.get(index);
		return value == null ? null : value.toString();
	}

	private static int num(List<Object> result, int index) {
		Object value = result.get(index);
		return (value instanceof Number number) ? number.intValue() : Integer.parseInt(value.toString());
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
