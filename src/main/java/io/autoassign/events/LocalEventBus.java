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

	private final List<Consumer<List<Delivery>>> subscribers = new CopyOnWriteArrayList<>();

	@Override
	public void deliver(List<Delivery> deliveries) {
		if (log.isDebugEnabled()) {
			deliveries.forEach((d) -> log.debug("{} {} of {} to {}", d.event().type(), d.event().eventId(),
					d.event().companyId(), d.recipients()));
		}
		for (Consumer<List<Delivery>> subscriber : this.subscribers) {
			try {
				subscriber.accept(deliveries);
			}
			catch (RuntimeException ex) {
				log.warn("A subscriber failed on {} events: {}", deliveries.size(), ex.toString());
			}
		}
	}

	/** Registers a subscriber of each transaction's events; returns a handle that removes it again. */
	public Runnable subscribe(Consumer<List<Delivery>> subscriber) {
		this.subscribers.add(subscriber);
		return () -> this.subscribers.remove(subscriber);
	}

}
