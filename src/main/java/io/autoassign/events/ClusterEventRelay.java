package io.autoassign.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Fans committed events out to every node through Redis pub/sub; each node hands them to the
 * WebSocket sessions it holds. A user therefore receives an event once per session, on
 * whichever node it is connected to.
 * <p>
 * Messages are taken off the channel by one thread, in the order Redis received them, and go
 * through {@link ChatOrdering}, so a chat's events reach its users in the order of their
 * transactions. When Redis cannot take a message, the event still reaches this node's sessions.
 */
@Component
class ClusterEventRelay implements MessageListener, InitializingBean, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ClusterEventRelay.class);

	/** One event as it travels between nodes: as its users receive it, and how to route it. */
	record Envelope(String companyId, String chatId, long sequence, Recipients recipients, JsonNode event) {
	}

	/** The events of one transaction: one message, so that they stay together. */
	record Batch(List<Envelope> items) {
	}

	private final LocalEventBus bus;

	private final StringRedisTemplate redis;

	private final RedisChannels channels;

	private final ObjectMapper json;

	private final ConnectedUsers users;

	private final StompDelivery delivery;

	private final ChatOrdering ordering;

	private final Clock clock;

	private final String channel;

	private Runnable unsubscribe;

	ClusterEventRelay(LocalEventBus bus, StringRedisTemplate redis, RedisChannels channels,
			ObjectMapper json, ConnectedUsers users, StompDelivery delivery, ChatOrdering ordering, Clock clock,
			@Value("${auto-assign.events-channel:#{T(io.autoassign.assignment.RoutingKeys).EVENTS_CHANNEL}}") String channel) {
		this.bus = bus;
		this.redis = redis;
		this.channels = channels;
		this.json = json;
		this.users = users;
		this.delivery = delivery;
		this.ordering = ordering;
		this.clock = clock;
		this.channel = channel;
	}

	@Override
	public void afterPropertiesSet() {
		// handled on the subscription's thread, in the order Redis delivers them
		this.channels.listen(this.channel, this);
		this.unsubscribe = this.bus.subscribe(this::publish);
	}

	@Override
	public void destroy() {
		if (this.unsubscribe != null) {
			this.unsubscribe.run();
		}
	}

	void publish(List<Delivery> deliveries) {
		List<Envelope> items = new ArrayList<>(deliveries.size());
		for (Delivery delivery : deliveries) {
			items.add(new Envelope(delivery.event().companyId(), delivery.chatId(), delivery.sequence(),
					delivery.recipients(), this.json.valueToTree(delivery.event())));
		}
		Batch batch = new Batch(items);
		String message;
		try {
			message = this.json.writeValueAsString(batch);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		try {
			this.redis.convertAndSend(this.channel, message);
		}
		catch (RuntimeException ex) {
			log.warn("Redis could not take {} events; delivering to this node's sessions only: {}", items.size(),
					ex.toString());
			deliverLocally(batch);
		}
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		try {
			deliverLocally(this.json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), Batch.class));
		}
		catch (Exception ex) {
			log.warn("Dropped an unreadable event message: {}", ex.toString());
		}
	}

	/** Hands each chat's events of the batch to the ordering as one unit; others go out at once. */
	private void deliverLocally(Batch batch) {
		Map<String, List<Envelope>> byChat = new LinkedHashMap<>();
		for (Envelope envelope : batch.items()) {
			String chatKey = envelope.chatId() == null ? null : envelope.companyId() + "/" + envelope.chatId();
			if (chatKey == null) {
				this.ordering.submit(null, 0, () -> send(envelope));
			}
			else {
				byChat.computeIfAbsent(chatKey + "#" + envelope.sequence(), (k) -> new ArrayList<>()).add(envelope);
			}
		}
		byChat.forEach((key, envelopes) -> {
			Envelope first = envelopes.get(0);
			this.ordering.submit(first.companyId() + "/" + first.chatId(), first.sequence(),
					() -> envelopes.forEach(this::send));
		});
	}

	private void send(Envelope envelope) {
		String payload = envelope.event().toString();
		// Session by session: each session is routed by the role and token it was opened with.
		for (ConnectedUsers.Session session : this.users.resolve(envelope.companyId(), envelope.recipients(),
				this.clock.instant())) {
			this.delivery.toSession(session.user(), session.id(), payload);
		}
	}

}
