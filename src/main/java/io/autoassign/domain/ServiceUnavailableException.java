package io.autoassign.domain;

import java.util.Map;

/**
 * A backing server (Redis, the database) cannot be reached right now: 503, worth retrying.
 */
public class ServiceUnavailableException extends RuntimeException {

	private final Map<String, Object> properties;

	public ServiceUnavailableException(String message, Throwable cause) {
		this(message, cause, Map.of());
	}

	/** With properties that the problem document carries, e.g. the id of the chat concerned. */
	public ServiceUnavailableException(String message, Throwable cause, Map<String, Object> properties) {
		super(message, cause);
		this.properties = Map.copyOf(properties);
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

}
