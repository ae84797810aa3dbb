package io.autoassign.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The {@link EventPort} of this node: hands each committed event to the subscribers registered
 * in this JVM (the WebSocket relay, tests).
 */
@Component
public class LocalEventBus implements EventPort {

	private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);

	private final List<BiConsumer<AutoAssignEvent, Recipients>> subscribers = new CopyOnWriteArrayList<>();

	@Override
	public void deliver(AutoAssignEvent event, Recipients recipients) {
		log.debug("{} {} of {} to {}", event.type(), event.eventId(), event.companyId(), recipients);
		for (BiConsumer<AutoAssignEvent, Recipients> subscriber : this.subscribers) {
			subscriber.accept(event, recipients);
		}
	}

	/** Registers a subscriber; returns a handle that removes it again. */
	public Runnable subscribe(BiConsumer<AutoAssignEvent, Recipients> subscriber) {
		this.subscribers.add(subscriber);
		return () -> this.subscribers.remove(subscriber);
	}

}
