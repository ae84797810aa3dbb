package io.autoassign.assignment;

import java.util.List;

/**
 * The one place that names Redis keys. A company's keys share the prefix
 * {@code aa:{companyId}:} (the hash tag keeps them in one Redis Cluster slot); the scripts'
 * common header {@code redis/lib.lua} documents what lies under it. The service-wide keys
 * (the rebuild epoch and lock, the reconciler's lock, the events channel) are named here too.
 */
public final class RoutingKeys {

	/** Present while every company's routing state is built; gone after Redis lost its data. */
	static final String EPOCH = "aa:routing-epoch";

	/** Held by the one node that rebuilds every company after Redis lost its data. */
	static final String REBUILD_LOCK = "aa:routing-rebuild";

	/** Held by the one node that runs a round of the reconciler. */
	static final String RECONCILER_LOCK = "aa:routing-reconciler";

	/**
	 * The pub/sub channel on which nodes pass events to each other (the default of
	 * {@code auto-assign.events-channel}).
	 */
	public static final String EVENTS_CHANNEL = "aa:events";

	/** The pool of every agent. */
	public static final String ALL_AGENTS = "*";

	private RoutingKeys() {
	}

	/** The routing pool of a group's agents, or of every agent for {@code null}. */
	public static String pool(String groupId) {
		return groupId == null ? ALL_AGENTS : groupPool(groupId);
	}

	/** The pool of agents of a group. */
	static String groupPool(String groupId) {
		return "g:" + groupId;
	}

	static String prefix(String companyId) {
		return "aa:{" + companyId + "}:";
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
