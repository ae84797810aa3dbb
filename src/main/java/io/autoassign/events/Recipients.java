package io.autoassign.events;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who receives an event, resolved against the connected users of the company at delivery:
 * named agents/admins, and optionally every admin or every member of the company. Keeping
 * "all admins" symbolic means an event needs no lookup of the company's admins when it is
 * produced, and reaches an admin who connected a moment ago.
 */
public record Recipients(Set<String> userIds, boolean allAdmins, boolean allAgents) {

	public Recipients {
		userIds = Set.copyOf(userIds);
	}

	/** The named users only (null ids are skipped). */
	public static Recipients users(String... userIds) {
		return new Recipients(named(userIds), false, false);
	}

	/** The named users and every admin of the company. */
	public static Recipients usersAndAdmins(String... userIds) {
		return new Recipients(named(userIds), true, false);
	}

	/** Every admin of the company. */
	public static Recipients admins() {
		return new Recipients(Set.of(), true, false);
	}

	/** Every agent and admin of the company. */
	public static Recipients everyone() {
		return new Recipients(Set.of(), true, true);
	}

	private static Set<String> named(String... userIds) {
		Set<String> ids = new LinkedHashSet<>();
		Arrays.stream(userIds).filter(Objects::nonNull).forEach(ids::add);
		return ids;
	}

}
