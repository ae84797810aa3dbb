package io.autoassign.domain;

/**
 * The action does not fit the chat's current state (e.g. a menu selection for a chat that is
 * not waiting for one): 409.
 */
public class ConflictException extends RuntimeException {

	private final String field;

	public ConflictException(String message) {
		this(message, null);
	}

	/** A conflict that one field of the request causes (the problem document names it in {@code errors}). */
	public ConflictException(String message, String field) {
		super(message);
		this.field = field;
	}

	/** The field of the request that conflicts, or {@code null}. */
	public String field() {
		return this.field;
	}

}
