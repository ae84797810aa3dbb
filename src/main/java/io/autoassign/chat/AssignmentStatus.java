package io.autoassign.chat;

/**
 * Where an open chat stands in routing. PENDING: not yet assigned or queued (being assigned,
 * waiting for the Auto-Menu selection, or waiting while auto-assign is disabled).
 */
public enum AssignmentStatus {

	PENDING, QUEUED, ASSIGNED, TAKEN_OVER

}
