package io.autoassign.assignment;

import java.util.List;

/**
 * The one place that names Redis keys. A company's keys share the prefix
 * {@code aa:{companyId}:} (the hash tag keeps them in one Redis Cluster slot); the scripts'
 * common header {@code redis/lib.lua} documents what lies under it.
 */
final class RoutingKeys {

	/** Present while every company's routing state is built; gone after Redis lost its data. */
	static final String EPOCH = "aa:routing-epoch";

	private RoutingKeys() {
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

	static String ledger(String companyId) {
		return prefix(companyId) + "c:agent";
	}

	static String queue(String companyId) {
		return prefix(companyId) + "q";
	}

	static String eligible(String companyId, String pool) {
		return prefix(companyId) + "el:" + pool;
	}

	/** The pool of agents of a group. */
	static String groupPool(String groupId) {
		return "g:" + groupId;
	}

	/** The pool of every agent. */
	static final String ALL_AGENTS = "*";

}
