package io.autoassign.domain;

/**
 * The action does not fit the chat's current state (e.g. a menu selection for a chat that is
 * not waiting for one): 409.
 */
public class ConflictException extends RuntimeException {

	public ConflictException(String message) {
		super(message);
	}

}
