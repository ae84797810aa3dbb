package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of the routing state as Redis holds it, for those who check or show it (the invariant
 * checker, queue escalation's choice of agents, tests). Changes nothing and takes no lock.
 */
@Component
public class RoutingState {

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

	/** The eligible agents of a pool according to Redis. */
	public List<String> eligible(String companyId, String pool) {
		var members = this.redis.opsForZSet().range(RoutingKeys.eligible(companyId, pool), 0, -1);
		return members == null ? List.of() : new ArrayList<>(members);
	}

}
