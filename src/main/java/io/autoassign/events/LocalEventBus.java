package io.autoassign.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The {@link EventPort} of this node: hands each committed event to the subscribers registered
 * in this JVM (the cluster relay that fans events out through Redis, tests).
 */
@Component
public class LocalEventBus implements EventPort {

	private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);

	private final List<Consumer<Delivery>> subscribers = new CopyOnWriteArrayList<>();

	@Override
	public void deliver(Delivery delivery) {
		log.debug("{} {} of {} to {}", delivery.event().type(), delivery.event().eventId(),
				delivery.event().companyId(), delivery.recipients());
		for (Consumer<Delivery> subscriber : this.subscribers) {
			try {
				subscriber.accept(delivery);
			}
			catch (RuntimeException ex) {
				log.warn("A subscriber failed on {} {}: {}", delivery.event().type(), delivery.event().eventId(),
						ex.toString());
			}
		}
	}

	/** Registers a subscriber; returns a handle that removes it again. */
	public Runnable subscribe(Consumer<Delivery> subscriber) {
		this.subscribers.add(subscriber);
		return () -> this.subscribers.remove(subscriber);
	}

}
