package io.autoassign.lifecycle;

import io.autoassign.domain.ConflictException;

/**
 * The chat's lifecycle instance is not waiting for the event (e.g. a menu selection when the
 * chat no longer waits for one): 409.
 */
class LifecycleMismatchException extends ConflictException {

	public LifecycleMismatchException(String message) {
		super(message);
	}

}
