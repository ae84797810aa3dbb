package io.autoassign.security;

/**
 * A bearer token that is malformed, forged, expired or no longer matches its agent: 401.
 */
public class InvalidTokenException extends RuntimeException {

	public InvalidTokenException(String message) {
		super(message);
	}

}
