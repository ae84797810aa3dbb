package io.autoassign.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.autoassign.events.AutoAssignEvent;
import io.autoassign.events.LocalEventBus;
import io.autoassign.events.Recipients;

/**
 * Records every event the routing core hands to its port, with its recipients.
 */
public class EventRecorder {

	public record Recorded(AutoAssignEvent event, Recipients recipients, String chatId, long sequence) {
	}

	private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

	EventRecorder(LocalEventBus bus) {
		bus.subscribe((deliveries) -> deliveries.forEach((delivery) -> this.recorded.add(new Recorded(delivery.event(),
				delivery.recipients(), delivery.chatId(), delivery.sequence()))));
	}

	/** The events of one company, in delivery order. */
	public List<Recorded> of(String companyId) {
		return this.recorded.stream().filter((r) -> r.event().companyId().equals(companyId)).toList();
	}

	/** The events of one company and type, in delivery order. */
	@SuppressWarnings("unchecked")
	public <E extends AutoAssignEvent> List<E> of(String companyId, Class<E> type) {
		return (List<E>) of(companyId).stream().map(Recorded::event).filter(type::isInstance).toList();
	}

	/** The recorded events of one company and type, with their recipients. */
	public List<Recorded> recorded(String companyId, Class<? extends AutoAssignEvent> type) {
		return of(companyId).stream().filter((r) -> type.isInstance(r.event())).toList();
	}

}
