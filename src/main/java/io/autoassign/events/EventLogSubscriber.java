package io.autoassign.events;

import java.util.List;

/**
 * Told of the events of a transaction as the {@link EventLog} writes them, in that transaction
 * (just before it commits): what it writes commits or rolls back with the change that caused
 * the events. The webhooks' outbox is one.
 */
public interface EventLogSubscriber {

	/** The events of one transaction, in the order they were emitted. */
	void written(List<LoggedEvent> events);

}
