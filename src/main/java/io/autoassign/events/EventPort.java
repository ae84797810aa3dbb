package io.autoassign.events;

import java.util.List;

/**
 * The one door through which every event leaves the routing core, after the transaction that
 * caused it has committed. What lies behind it (STOMP delivery, cross-node fan-out) is not the
 * core's concern.
 */
interface EventPort {

	/** The events of one committed transaction, in the order they were emitted. */
	void deliver(List<Delivery> deliveries);

}
