package io.autoassign.assignment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.autoassign.chat.ChatStore;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.CompanyLockTimeout;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps every company's Redis routing state in line with PostgreSQL while the service runs, so
 * that drift no transaction is left to repair (a node that died between a routing step and its
 * commit, a repair that could not run) lasts seconds, not until the next rebuild.
 * <p>
 * Every {@code auto-assign.reconciler-interval} (5 s), on one node of a cluster at a time, it
 * takes a cheap look at each company's Redis state: whether the agents' counters add up, the
 * marks transactions left to be finished, queues waiting beside an eligible agent. Every
 * {@value #COUNT_EVERY} rounds it also compares the per-agent loads and the ledger's and queue's
 * sizes with the database's counts. Under load such looks catch transactions in flight, so only
 * what two looks in a row find counts. Then it compares the company chat by chat, without a lock
 * and without holding Redis up (HSCAN), and repairs each chat that differed in the same way in
 * that comparison and the next round's: under the chat's row lock, from its row, as a
 * rollback's repair does (no transaction on that chat is in flight meanwhile); a chat the
 * database does not know only with the company's lock held exclusively for a moment (waiting at
 * most 200 ms, so it never holds the company's routing up). Counters that do not add up are
 * recomputed from the ledger. Each repair is logged. A queue that waits beside an eligible agent
 * in two looks is dispatched. A company whose state agrees with the database is never written
 * to.
 * <p>
 * So what is drift for certain (counters that do not add up, a mark or a queue's head that
 * stayed for an interval) is repaired within three rounds; drift that shows only in the counts
 * within about fourteen rounds (a little over a minute at the default interval).
 * Counts differ under load all the time, so a loaded company is compared chat by chat about
 * once a minute, which reads every open chat from both stores.
 * <p>
 * It also copies each agent's last-assignment time from Redis to {@code aa_agent}, so that a
 * rebuild keeps least busy's tie-break without scanning history.
 */
@Component
class RoutingReconciler {

	private static final Logger log = LoggerFactory.getLogger(RoutingReconciler.class);

	/**
	 * Longest the reconciler waits for a company's exclusive lock. While it waits, the company's
	 * new routing transactions queue behind it, so it gives up soon when one in flight takes long
	 * (and looks again next round).
	 */
	private static final Duration LOCK_WAIT = Duration.ofMillis(200);

	private final RoutingScripts scripts;

	private final RoutingState state;

	private final RoutingRows rows;

	private final SettingsService settings;

	private final Clock clock;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final StringRedisTemplate redis;

	private final RoutingMetrics metrics;

	private final ApplicationEventPublisher events;

	private final Duration interval;

	/**
	 * Rounds between two looks at the counts (see {@link #counted}): under load they always
	 * differ, and two such looks in a row lead to a comparison that reads every open chat of the
	 * company from both stores; paced, that costs a loaded node little.
	 */
	static final int COUNT_EVERY = 6;

	/** What the last look at each company's marks found (to tell drift from transactions in flight). */
	private final Map<String, Set<String>> lastMarks = new ConcurrentHashMap<>();

	/** What the last look at each company's counts found. */
	private final Map<String, Set<String>> lastCounted = new ConcurrentHashMap<>();

	/** Rounds since each company's counts were last looked at. */
	private final Map<String, Integer> roundsSinceCount = new ConcurrentHashMap<>();

	/**
	 * The chats the first of two chat-by-chat comparisons of each company found differing, and
	 * how; the next round's comparison confirms them.
	 */
	private final Map<String, Map<String, Suspect>> lastSuspects = new ConcurrentHashMap<>();

	/**
	 * A chat whose Redis state differs from its row: what Redis holds (and the leaving or dequeue
	 * mark it carries), what the database holds, and whether the database knows the chat at all.
	 */
	private record Suspect(RoutingScripts.Committed inRedis, String leaving, String dequeuing,
			RoutingScripts.Committed truth, boolean known) {

		/** The agent the database gives the chat, whose count the missing ledger entry lowers. */
		String lackingAgent() {
			String agent = this.truth.agentId();
			if (agent == null || agent.equals(this.inRedis.agentId())) {
				return null;
			}
			return (this.leaving != null && this.leaving.startsWith(agent + "|")) ? null : agent;
		}

		String describe() {
			return "Redis had " + RoutingReconciler.describe(this.inRedis)
					+ (this.leaving != null ? ", leaving " + this.leaving : "")
					+ (this.dequeuing != null ? ", being taken out of the queue by " + this.dequeuing : "") + "; "
					+ (this.known ? "the database has " + RoutingReconciler.describe(this.truth)
							: "the database has no such chat");
		}

	}

	/** The last-assignment times already copied to the database, per company and agent. */
	private final Map<String, Map<String, Long>> copiedLastAssigned = new ConcurrentHashMap<>();

	private final Deque<Repair> recent = new ArrayDeque<>();

	private final ChatStore chats;

	RoutingReconciler(RoutingScripts scripts, RoutingState state, RoutingRows rows, ChatStore chats,
			SettingsService settings,
			CompanyLocks locks, Transactions transactions, StringRedisTemplate redis,
			ApplicationEventPublisher events, RoutingMetrics metrics,
			@Value("${auto-assign.reconciler-interval:5s}") Duration interval, Clock clock) {
		this.clock = clock;
		this.metrics = metrics;
		this.chats = chats;
		this.scripts = scripts;
		this.state = state;
		this.rows = rows;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.redis = redis;
		this.events = events;
		this.interval = interval;
	}

	/** One repair: which company, what was wrong, when. */
	public record Repair(String companyId, String what, Instant at) {
	}

	/** The last repairs made on this node, oldest first (at most 1,000). */
	public List<Repair> recentRepairs() {
		synchronized (this.recent) {
			return List.copyOf(this.recent);
		}
	}

	@Scheduled(fixedDelayString = "${auto-assign.reconciler-interval:5s}",
			initialDelayString = "${auto-assign.reconciler-interval:5s}")
	void scheduled() {
		String node = UUID.randomUUID().toString();
		try {
			// One node at a time; the lock lapses on its own should this node die mid-round.
			if (!Boolean.TRUE.equals(this.redis.opsForValue()
				.setIfAbsent(RoutingKeys.RECONCILER_LOCK, node, this.interval.multipliedBy(2)))) {
				return;
			}
		}
		catch (RuntimeException ex) {
			log.debug("Reconciler: Redis unreachable: {}", ex.toString());
			return;
		}
		try {
			round();
		}
		finally {
			try {
				if (node.equals(this.redis.opsForValue().get(RoutingKeys.RECONCILER_LOCK))) {
					this.redis.delete(RoutingKeys.RECONCILER_LOCK);
				}
			}
			catch (RuntimeException ex) {
				// it lapses
			}
		}
	}

	/** Looks at every company once (and repairs what two looks in a row found). */
	public void round() {
		for (String companyId : this.settings.companyIds()) {
			try {
				reconcile(companyId);
			}
			catch (RuntimeException ex) {
				log.warn("Reconciler: could not check company {}: {}", companyId, ex.toString());
			}
		}
	}

	/** Looks at one company; repairs and dispatches what the previous look found too. */
	void reconcile(String companyId) {
		RoutingScripts.Probe probe = this.scripts.probe(companyId);
		if (!probe.loaded()) {
			// missing state is the rebuild's, not ours
			this.lastMarks.remove(companyId);
			this.lastCounted.remove(companyId);
			this.lastSuspects.remove(companyId);
			this.roundsSinceCount.remove(companyId);
			return;
		}
		Set<String> marks = marks(probe);
		if (!probe.dispatchable().isEmpty()
				&& !this.settings.find(companyId).map((c) -> c.openAt(this.clock.instant())).orElse(true)) {
			// outside business hours a queue waits beside eligible agents on purpose
			marks.removeIf((mark) -> mark.startsWith("dispatch:"));
		}
		Set<String> persistent = persisting(this.lastMarks, companyId, marks);
		int rounds = this.roundsSinceCount.getOrDefault(companyId, COUNT_EVERY - 1) + 1;
		if (rounds >= COUNT_EVERY) {
			rounds = 0;
			persistent.addAll(persisting(this.lastCounted, companyId, counted(probe, this.rows.counts(companyId))));
			copyLastAssigned(companyId);
		}
		this.roundsSinceCount.put(companyId, rounds);
		if (this.lastSuspects.containsKey(companyId) || !persistent.isEmpty()) {
			repair(companyId, persistent).forEach((what) -> record(companyId, what));
		}
		if (!persistent.isEmpty()) {
			this.events.publishEvent(new DispatchNeeded(companyId));
		}
	}

	/** Stores what this look found; answers what the previous look of the same kind found too. */
	private static Set<String> persisting(Map<String, Set<String>> last, String companyId, Set<String> findings) {
		Set<String> before = last.put(companyId, findings);
		Set<String> persistent = new LinkedHashSet<>(findings);
		persistent.retainAll(before == null ? Set.of() : before);
		return persistent;
	}

	/**
	 * What a look at Redis alone finds that is drift for certain or nearly so, when the next look
	 * finds it too: counters that do not add up (no transaction in flight shows that), a leaving or
	 * dequeue mark (a transaction holds one for milliseconds, not an interval), the same chat at
	 * the head of a pool's queue beside an eligible agent (a dispatch takes it in milliseconds,
	 * unless it is a chat the dispatch cannot take).
	 */
	private static Set<String> marks(RoutingScripts.Probe probe) {
		Set<String> findings = new LinkedHashSet<>();
		if (!probe.countersAddUp()) {
			// not a transaction in flight: every script keeps the counters in line atomically
			findings.add("counters");
		}
		probe.leaving().forEach((chat, mark) -> findings.add("leaving:" + chat + ":" + mark));
		probe.dequeuing().forEach((chat, tx) -> findings.add("deq:" + chat + ":" + tx));
		probe.dispatchable().forEach((pool, head) -> findings.add("dispatch:" + pool + ":" + head));
		return findings;
	}

	/**
	 * Where Redis's counts differ from the database's: per-agent loads, the ledger's and the
	 * queue's sizes. Under load they differ in every look (transactions in flight), so they are
	 * counted every {@value #COUNT_EVERY} rounds only.
	 */
	private static Set<String> counted(RoutingScripts.Probe probe, RoutingRows.Counts counts) {
		Set<String> findings = new LinkedHashSet<>();
		Set<String> agents = new LinkedHashSet<>(probe.loads().keySet());
		agents.addAll(counts.assigned().keySet());
		for (String agent : agents) {
			int held = probe.loads().getOrDefault(agent, 0) - probe.leavingCounts().getOrDefault(agent, 0);
			int diff = held - counts.assigned().getOrDefault(agent, 0);
			if (diff != 0) {
				findings.add("load:" + agent + ":" + diff);
			}
		}
		if (probe.ledgerSize() != counts.assignedTotal()) {
			findings.add("ledger:" + (probe.ledgerSize() - counts.assignedTotal()));
		}
		if (probe.queueSize() != counts.queued()) {
			findings.add("queue:" + (probe.queueSize() - counts.queued()));
		}
		return findings;
	}

	/**
	 * Two looks in a row found something: compares the company chat by chat (no lock: under load
	 * the comparison too catches transactions in flight), and repairs each chat that differed in
	 * the same way in the previous comparison as well. A chat whose row exists is rewritten from
	 * it under its row lock, like a rollback's repair: the lock waits for any transaction on the
	 * chat, and what the row then holds is the truth (a repair that changes nothing is not one). A
	 * chat Redis routes but the database does not know (a creation that never committed) can only
	 * be told from one still in flight with the company's lock held exclusively, briefly. The
	 * counters are recomputed from the ledger when they did not add up. Returns what was repaired.
	 */
	private List<String> repair(String companyId, Set<String> persistent) {
		List<String> repairs = new ArrayList<>();
		Map<String, Suspect> suspects = compare(companyId);
		Map<String, Suspect> before = this.lastSuspects.remove(companyId);
		if (before == null && !suspects.isEmpty()) {
			// the first of two comparisons: the next round confirms (whatever its look finds)
			this.lastSuspects.put(companyId, suspects);
		}
		List<String> unknown = new ArrayList<>();
		for (Map.Entry<String, Suspect> suspect : suspects.entrySet()) {
			String chatId = suspect.getKey();
			if (before == null || !suspect.getValue().equals(before.get(chatId))) {
				continue;
			}
			if (!suspect.getValue().known()) {
				unknown.add(chatId);
				continue;
			}
			Boolean changed = this.transactions.retryingInNewTransaction(() -> {
				this.locks.shared(companyId);
				io.autoassign.chat.Chat chat = this.chats.lock(companyId, chatId).orElse(null);
				return this.scripts.syncChat(companyId, chatId, RoutingScripts.Committed.of(chat), false);
			});
			if (Boolean.TRUE.equals(changed)) {
				repairs.add("chat " + chatId + ": " + suspect.getValue().describe());
			}
		}
		if (!unknown.isEmpty()) {
			try {
				repairs.addAll(this.transactions.retryingInNewTransaction(() -> removeUnknown(companyId, unknown)));
			}
			catch (CompanyLockTimeout ex) {
				// busy: the next round looks again
			}
		}
		if (persistent.contains("counters") || !repairs.isEmpty()) {
			// An agent whose chat the ledger lacks (not yet repaired) would be counted too low.
			Set<String> lacking = new LinkedHashSet<>();
			compare(companyId).values().forEach((suspect) -> {
				if (suspect.lackingAgent() != null) {
					lacking.add(suspect.lackingAgent());
				}
			});
			for (String counter : this.scripts.recount(companyId, lacking)) {
				repairs.add("counter " + counter);
			}
		}
		if (!repairs.isEmpty()) {
			this.lastMarks.remove(companyId);
			this.lastCounted.remove(companyId);
		}
		return repairs;
	}

	/** Each chat whose Redis state differs from the database's, with how (marks count as differing). */
	private Map<String, Suspect> compare(String companyId) {
		RoutingState.Chats redisState = this.state.scan(companyId);
		Map<String, RoutingRows.Routed> database = new HashMap<>();
		Set<String> known = new java.util.HashSet<>();
		for (RoutingRows.Routed row : this.rows.routedInAnyOrder(companyId)) {
			database.put(row.chatId(), row);
		}
		Set<String> chats = new LinkedHashSet<>(redisState.ledger().keySet());
		chats.addAll(redisState.leaving().keySet());
		chats.addAll(redisState.queue().keySet());
		chats.addAll(redisState.dequeuing().keySet());
		Set<String> notRouted = new LinkedHashSet<>(chats);
		notRouted.removeAll(database.keySet());
		known.addAll(this.rows.existing(companyId, notRouted));
		chats.addAll(database.keySet());
		Map<String, Suspect> suspects = new java.util.TreeMap<>();
		for (String chatId : chats) {
			RoutingRows.Routed row = database.get(chatId);
			RoutingScripts.Committed truth = row == null ? RoutingScripts.Committed.NONE : RoutingScripts.Committed.of(row);
			String held = redisState.ledger().get(chatId);
			Long seq = redisState.queue().get(chatId);
			RoutingScripts.Committed inRedis = held != null ? new RoutingScripts.Committed("ASSIGNED", held, null, null)
					: seq != null ? new RoutingScripts.Committed("QUEUED", null, seq, redisState.queuePools().get(chatId))
							: RoutingScripts.Committed.NONE;
			String leaving = redisState.leaving().get(chatId);
			String dequeuing = redisState.dequeuing().get(chatId);
			if (inRedis.equals(truth) && leaving == null && dequeuing == null) {
				continue;
			}
			suspects.put(chatId, new Suspect(inRedis, leaving, dequeuing, truth, row != null || known.contains(chatId)));
		}
		return suspects;
	}

	/**
	 * With the company's lock held exclusively (no transaction is creating a chat meanwhile):
	 * takes out of routing the chats that still do not exist.
	 */
	private List<String> removeUnknown(String companyId, List<String> chatIds) {
		this.locks.exclusive(companyId, LOCK_WAIT);
		Set<String> existing = new java.util.HashSet<>(this.rows.existing(companyId, chatIds));
		List<String> repairs = new ArrayList<>();
		for (String chatId : chatIds) {
			if (!existing.contains(chatId)
					&& this.scripts.syncChat(companyId, chatId, RoutingScripts.Committed.NONE, false)) {
				repairs.add("chat " + chatId + ": Redis routed it; the database has no such chat");
			}
		}
		return repairs;
	}

	private void copyLastAssigned(String companyId) {
		Map<String, Long> copied = this.copiedLastAssigned.computeIfAbsent(companyId, (c) -> new ConcurrentHashMap<>());
		for (Map.Entry<String, Long> agent : lastAssignedMicros(companyId).entrySet()) {
			Long micros = agent.getValue();
			if (micros > 0 && !micros.equals(copied.get(agent.getKey()))) {
				this.rows.recordLastAssigned(companyId, agent.getKey(),
						Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
				copied.put(agent.getKey(), micros);
			}
		}
	}

	private Map<String, Long> lastAssignedMicros(String companyId) {
		Map<String, Long> micros = new HashMap<>();
		this.redis.<String, String>opsForHash()
			.entries(RoutingKeys.lastAssigned(companyId))
			.forEach((agent, member) -> {
				int bar = member.indexOf('|');
				if (bar > 0) {
					micros.put(agent, Long.parseLong(member.substring(0, bar)));
				}
			});
		return micros;
	}

	private void record(String companyId, String what) {
		log.warn("Reconciler repaired company {}: {}", companyId, what);
		this.metrics.repaired(1);
		synchronized (this.recent) {
			this.recent.addLast(new Repair(companyId, what, Instant.now()));
			while (this.recent.size() > 1000) {
				this.recent.removeFirst();
			}
		}
	}

	private static String describe(RoutingScripts.Committed state) {
		return switch (state.state()) {
			case "ASSIGNED" -> "it with " + state.agentId();
			case "QUEUED" -> "it queued (" + state.queueSeq() + " in " + state.pool() + ")";
			default -> "it nowhere";
		};
	}

}
