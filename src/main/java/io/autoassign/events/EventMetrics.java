package io.autoassign.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * What the events say, counted once their transaction has committed (a rolled-back or retried
 * transaction counts nothing): chats assigned, queued, taken over and closed (by reason); and
 * what the STOMP delivery did with them on this node.
 */
@Component
class EventMetrics {

	private final MeterRegistry meters;

	private final Counter assigned;

	private final Counter queued;

	private final Counter takenOver;

	private final Map<String, Counter> closed = new ConcurrentHashMap<>();

	private final Counter sent;

	private final Counter failed;

	private final Counter late;

	EventMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.assigned = Counter.builder("autoassign.chats.assigned")
			.description("Chats assigned to an agent (by strategy, from the queue, re-routed, re-balanced, by an admin)")
			.register(meters);
		this.queued = Counter.builder("autoassign.chats.queued").description("Chats that entered the queue").register(meters);
		this.takenOver = Counter.builder("autoassign.chats.taken.over")
			.description("Chats an admin took over")
			.register(meters);
		this.sent = Counter.builder("autoassign.stomp.sent")
			.description("Events handed to a WebSocket session of this node")
			.register(meters);
		this.failed = Counter.builder("autoassign.stomp.failed")
			.description("Sends to a session that failed (the session's later events still go out)")
			.register(meters);
		this.late = Counter.builder("autoassign.stomp.late")
			.description("Events that showed up after a newer one of their chat: not delivered, their recipients synced")
			.register(meters);
	}

	/** The events of a transaction that committed. */
	void committed(List<Delivery> events) {
		for (Delivery delivery : events) {
			AutoAssignEvent event = delivery.event();
			if (event instanceof AutoAssignEvent.ChatAssigned) {
				this.assigned.increment();
			}
			else if (event instanceof AutoAssignEvent.ChatQueued) {
				this.queued.increment();
			}
			else if (event instanceof AutoAssignEvent.ChatTakenOver) {
				this.takenOver.increment();
			}
			else if (event instanceof AutoAssignEvent.ChatClosed closed) {
				closedCounter(closed.closeReason().name()).increment();
			}
		}
	}

	void sent() {
		this.sent.increment();
	}

	void failed() {
		this.failed.increment();
	}

	void late() {
		this.late.increment();
	}

	private Counter closedCounter(String reason) {
		return this.closed.computeIfAbsent(reason, (r) -> Counter.builder("autoassign.chats.closed")
			.description("Chats closed, by close reason")
			.tag("reason", r)
			.register(this.meters));
	}

}
