package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.stereotype.Component;

/**
 * Reads of the routing state as Redis holds it, for those who check or show it (the invariant
 * checker, queue escalation's choice of agents, tests). Changes nothing and takes no lock.
 */
@Component
public class RoutingState {

	/** Entries per HSCAN/ZSCAN call: each call holds Redis for well under a millisecond. */
	private static final ScanOptions BATCH = ScanOptions.scanOptions().count(500).build();

	private final StringRedisTemplate redis;

	private final RoutingScripts scripts;

	RoutingState(StringRedisTemplate redis, RoutingScripts scripts) {
		this.redis = redis;
		this.scripts = scripts;
	}

	/**
	 * One consistent reading of a company's routing state.
	 *
	 * @param ledger chat to the agent holding its slot
	 * @param leaving chat to the agent it is leaving, for transactions not seen to finish yet
	 * @param queue queued chats in queue order, with their queue sequence
	 * @param dequeuing queued chats a transaction is taking out of the queue
	 * @param loads slots each agent holds (its chats plus those leaving it)
	 */
	public record Snapshot(boolean loaded, Map<String, String> ledger, Map<String, String> leaving,
			Map<String, Long> queue, Map<String, String> queuePools, java.util.Set<String> dequeuing,
			Map<String, Integer> loads) {
	}

	public Snapshot snapshot(String companyId) {
		RoutingScripts.Snapshot s = this.scripts.snapshot(companyId);
		Map<String, String> leaving = new HashMap<>();
		s.leaving().forEach((chat, value) -> leaving.put(chat, value.substring(0, value.lastIndexOf('|'))));
		return new Snapshot(s.loaded(), s.ledger(), leaving, s.queue(), s.queuePools(), s.dequeuing().keySet(),
				s.loads());
	}

	/**
	 * A company's chats as Redis routes them, read in batches (HSCAN, ZSCAN) rather than in one
	 * step, so that a company with tens of thousands of open chats never holds Redis up. Not a
	 * consistent reading: a chat that changes hands meanwhile may be seen twice or not at all, so
	 * whoever acts on it confirms first (the reconciler compares twice and repairs under the
	 * chat's row lock).
	 */
	Chats scan(String companyId) {
		Map<String, Long> queue = new HashMap<>();
		try (Cursor<ZSetOperations.TypedTuple<String>> cursor = this.redis.opsForZSet()
			.scan(RoutingKeys.queue(companyId), BATCH)) {
			cursor.forEachRemaining((member) -> queue.put(member.getValue(), member.getScore().longValue()));
		}
		return new Chats(scanHash(RoutingKeys.ledger(companyId)), scanHash(RoutingKeys.leaving(companyId)), queue,
				scanHash(RoutingKeys.queuePool(companyId)), scanHash(RoutingKeys.dequeuing(companyId)));
	}

	/**
	 * A company's chats as Redis routes them (see {@link #scan}): each held chat's agent, each
	 * leaving chat's mark ({@code agent|tx}), each queued chat's sequence and pool, each chat being
	 * taken out of the queue and by which transaction.
	 */
	record Chats(Map<String, String> ledger, Map<String, String> leaving, Map<String, Long> queue,
			Map<String, String> queuePools, Map<String, String> dequeuing) {
	}

	private Map<String, String> scanHash(String key) {
		Map<String, String> entries = new HashMap<>();
		try (Cursor<Map.Entry<String, String>> cursor = this.redis.<String, String>opsForHash().scan(key, BATCH)) {
			cursor.forEachRemaining((entry) -> entries.put(entry.getKey(), entry.getValue()));
		}
		return entries;
	}

	/** The agents' loads as Redis holds them. */
	public Map<String, Integer> loads(String companyId) {
		Map<String, Integer> loads = new HashMap<>();
		this.redis.<String, String>opsForHash()
			.entries(RoutingKeys.load(companyId))
			.forEach((agent, load) -> loads.put(agent, Integer.parseInt(load)));
		return loads;
	}

	/** Every chat's holder according to Redis. */
	public Map<String, String> ledger(String companyId) {
		return this.redis.<String, String>opsForHash().entries(RoutingKeys.ledger(companyId));
	}

	/** Which agent holds the chat according to Redis. */
	public Optional<String> holder(String companyId, String chatId) {
		return Optional.ofNullable(this.redis.<String, String>opsForHash().get(RoutingKeys.ledger(companyId), chatId));
	}

	/** The queued chats in queue order according to Redis. */
	public List<String> queue(String companyId) {
		var members = this.redis.opsForZSet().range(RoutingKeys.queue(companyId), 0, -1);
		return members == null ? List.of() : new ArrayList<>(members);
	}

	/** How many agents are eligible in a pool right now. */
	public long eligibleCount(String companyId, String pool) {
		Long count = this.redis.opsForZSet().zCard(RoutingKeys.eligible(companyId, pool));
		return count == null ? 0 : count;
	}

	/** Whether the agent may take a chat now (AGENT, ACTIVE, below capacity) according to Redis. */
	public boolean isEligible(String companyId, String agentId) {
		return this.redis.opsForZSet().score(RoutingKeys.eligible(companyId, RoutingKeys.ALL_AGENTS), agentId) != null;
	}

	/** The eligible agents of a pool according to Redis. */
	public List<String> eligible(String companyId, String pool) {
		var members = this.redis.opsForZSet().range(RoutingKeys.eligible(companyId, pool), 0, -1);
		return members == null ? List.of() : new ArrayList<>(members);
	}

}
