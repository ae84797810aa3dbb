package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The routing core's figures: how long chats wait for their first agent and in the queue
 * (recorded once the assigning transaction has committed, so a rolled-back or retried one
 * records nothing), how soon the queue moves after capacity appears, and the reconciler's
 * repairs and the rebuilds.
 */
@Component
public class RoutingMetrics {

	private final Timer timeToAssign;

	private final Timer timeInQueue;

	private final Timer queueDrain;

	private final Counter repairs;

	private final Counter rebuilds;

	RoutingMetrics(MeterRegistry meters) {
		this.timeToAssign = histogram(meters, "autoassign.chat.time.to.assign",
				"From a chat's creation to its first agent", Duration.ofHours(2));
		this.timeInQueue = histogram(meters, "autoassign.chat.time.in.queue",
				"From a chat's queueing to its assignment from the queue", Duration.ofHours(2));
		this.queueDrain = histogram(meters, "autoassign.queue.drain",
				"From the commit that gave back capacity to the queued chats it let through being assigned",
				Duration.ofSeconds(30));
		this.repairs = Counter.builder("autoassign.routing.repairs")
			.description("Drift of the Redis routing state repaired by the reconciler")
			.register(meters);
		this.rebuilds = Counter.builder("autoassign.routing.rebuilds")
			.description("Companies whose Redis routing state was rebuilt from the database")
			.register(meters);
	}

	private static Timer histogram(MeterRegistry meters, String name, String description, Duration max) {
		return Timer.builder(name)
			.description(description)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(max)
			.register(meters);
	}

	/** {@code chat} (as it was before) goes to an agent at {@code at} in the current transaction. */
	void assigned(Chat chat, Instant at) {
		Duration sinceCreation = chat.everAssigned() ? null : Duration.between(chat.createdAt(), at);
		Duration inQueue = chat.assignmentStatus() == AssignmentStatus.QUEUED && chat.queuedAt() != null
				? Duration.between(chat.queuedAt(), at) : null;
		if (sinceCreation == null && inQueue == null) {
			return;
		}
		Commits.afterCommit(() -> {
			if (sinceCreation != null) {
				this.timeToAssign.record(sinceCreation);
			}
			if (inQueue != null) {
				this.timeInQueue.record(inQueue);
			}
		});
	}

	/** A dispatch that capacity appearing {@code sinceNanos} ago set off assigned queued chats. */
	public void drained(long sinceNanos) {
		this.queueDrain.record(Duration.ofNanos(System.nanoTime() - sinceNanos));
	}

	void repaired(int count) {
		this.repairs.increment(count);
	}

	void rebuilt() {
		this.rebuilds.increment();
	}

}
