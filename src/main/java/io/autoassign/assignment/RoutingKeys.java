package io.autoassign.assignment;

import java.util.List;

/**
 * The one place that names Redis keys. A company's keys share the prefix
 * {@code aa:{companyId}:} (the hash tag keeps them in one Redis Cluster slot); the scripts'
 * common header {@code redis/lib.lua} documents what lies under it. The service-wide keys
 * (the rebuild epoch and lock, the reconciler's lock) and the pool names, which the scripts
 * receive from here, are named here too. (The pub/sub channels belong to the events package,
 * below routing: {@code events/RedisChannels} names them.)
 */
public final class RoutingKeys {

	/** Present while every company's routing state is built; gone after Redis lost its data. */
	static final String EPOCH = "aa:routing-epoch";

	/** Held by the one node that rebuilds every company after Redis lost its data. */
	static final String REBUILD_LOCK = "aa:routing-rebuild";

	/** Held by the one node that runs a round of the reconciler. */
	static final String RECONCILER_LOCK = "aa:routing-reconciler";

	/** The pool of every agent (also in the scripts, which {@link RoutingScripts} gives it). */
	public static final String ALL_AGENTS = "*";

	/** What a group's pool name starts with, followed by the group id (also in the scripts). */
	static final String GROUP_POOL = "g:";

	private RoutingKeys() {
	}

	/** The routing pool of a group's agents, or of every agent for {@code null}. */
	public static String pool(String groupId) {
		return groupId == null ? ALL_AGENTS : groupPool(groupId);
	}

	/** The pool of agents of a group. */
	static String groupPool(String groupId) {
		return GROUP_POOL + groupId;
	}

	static String prefix(String companyId) {
		return "aa:{" + companyId + "}:";
	}

	/**
	 * The company's request rate: in the company's cluster slot (its hash tag), outside its
	 * routing state (which a rebuild resets and the invariant checker reads).
	 */
	public static String rateLimit(String companyId) {
		return "aa:rate:{" + companyId + "}";
	}

	/**
	 * How fast a pool's queue drained lately (QueueDrain): in the company's cluster slot, outside
	 * its routing state (a rebuild keeps it).
	 */
	static String drain(String companyId, String pool) {
		return "aa:drain:{" + companyId + "}:" + pool;
	}

	/** The key the scripts receive as KEYS[1]: the company's 'loaded' marker. */
	static List<String> scriptKeys(String companyId) {
		return List.of(prefix(companyId) + "loaded");
	}

	static String loaded(String companyId) {
		return prefix(companyId) + "loaded";
	}

	static String load(String companyId) {
		return prefix(companyId) + "a:load";
	}

	/** Each agent's least-busy member, which starts with the micros of its last assignment. */
	static String lastAssigned(String companyId) {
		return prefix(companyId) + "a:lbm";
	}

	static String ledger(String companyId) {
		return prefix(companyId) + "c:agent";
	}

	/** Each chat a transaction released, to the agent and transaction it is leaving. */
	static String leaving(String companyId) {
		return prefix(companyId) + "c:leaving";
	}

	static String queue(String companyId) {
		return prefix(companyId) + "q";
	}

	/** Each queued chat's pool. */
	static String queuePool(String companyId) {
		return prefix(companyId) + "c:qpool";
	}

	/** Each queued chat a transaction is taking out of the queue, to that transaction. */
	static String dequeuing(String companyId) {
		return prefix(companyId) + "c:deq";
	}

	static String eligible(String companyId, String pool) {
		return prefix(companyId) + "el:" + pool;
	}

}
