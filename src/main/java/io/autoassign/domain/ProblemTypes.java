package io.autoassign.domain;

import java.net.URI;
import java.util.Map;

/**
 * The {@code type} of every problem document the API answers: one stable URI per kind of
 * error, so that a client can switch on it rather than on the title's words. Listed in the
 * README; a kind not listed (an unexpected status) keeps {@code about:blank}.
 */
public final class ProblemTypes {

	private static final String PREFIX = "urn:auto-assign:problem:";

	private static final Map<Integer, String> KINDS = Map.ofEntries(Map.entry(400, "invalid-request"),
			Map.entry(401, "unauthenticated"), Map.entry(403, "forbidden"), Map.entry(404, "not-found"),
			Map.entry(405, "method-not-allowed"), Map.entry(406, "not-acceptable"), Map.entry(409, "conflict"),
			Map.entry(413, "payload-too-large"), Map.entry(415, "unsupported-media-type"),
			Map.entry(429, "too-many-requests"), Map.entry(500, "internal-error"), Map.entry(503, "unavailable"));

	private ProblemTypes() {
	}

	/** The type of a problem answered with {@code status}. */
	public static URI of(int status) {
		String kind = KINDS.get(status);
		return URI.create(kind == null ? "about:blank" : PREFIX + kind);
	}

}
