package io.autoassign.web;

/**
 * A backing server (Redis, the database) cannot be reached right now: 503, worth retrying.
 */
public class ServiceUnavailableException extends RuntimeException {

	public ServiceUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
