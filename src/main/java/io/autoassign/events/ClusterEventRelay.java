package io.autoassign.events;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
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

	/** What travels between nodes: the event as its users receive it, and how to route it. */
	record Envelope(String companyId, String chatId, long sequence, Recipients recipients, JsonNode event) {
	}

	private final LocalEventBus bus;

	private final StringRedisTemplate redis;

	private final RedisConnectionFactory connectionFactory;

	private final ObjectMapper json;

	private final ConnectedUsers users;

	private final StompDelivery delivery;

	private final ChatOrdering ordering;

	private final String channel;

	private RedisMessageListenerContainer container;

	private Runnable unsubscribe;

	ClusterEventRelay(LocalEventBus bus, StringRedisTemplate redis, RedisConnectionFactory connectionFactory,
			ObjectMapper json, ConnectedUsers users, StompDelivery delivery, ChatOrdering ordering,
			@Value("${auto-assign.events-channel:aa:events}") String channel) {
		this.bus = bus;
		this.redis = redis;
		this.connectionFactory = connectionFactory;
		this.json = json;
		this.users = users;
		this.delivery = delivery;
		this.ordering = ordering;
		this.channel = channel;
	}

	@Override
	public void afterPropertiesSet() {
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(this.connectionFactory);
		// The subscription has a thread of its own and handles each message on it, in the order
		// Redis delivers them.
		SimpleAsyncTaskExecutor subscription = new SimpleAsyncTaskExecutor("redis-events-");
		subscription.setDaemon(true);
		this.container.setSubscriptionExecutor(subscription);
		this.container.setTaskExecutor(new SyncTaskExecutor());
		this.container.addMessageListener(this, new ChannelTopic(this.channel));
		this.container.afterPropertiesSet();
		this.container.start();
		this.unsubscribe = this.bus.subscribe(this::publish);
	}

	@Override
	public void destroy() throws Exception {
		if (this.unsubscribe != null) {
			this.unsubscribe.run();
		}
		if (this.container != null) {
			this.container.destroy();
		}
	}

	void publish(Delivery delivery) {
		Envelope envelope = new Envelope(delivery.event().companyId(), delivery.chatId(), delivery.sequence(),
				delivery.recipients(), this.json.valueToTree(delivery.event()));
		String message;
		try {
			message = this.json.writeValueAsString(envelope);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		try {
			this.redis.convertAndSend(this.channel, message);
		}
		catch (RuntimeException ex) {
			log.warn("Redis could not take {} {}; delivering to this node's sessions only: {}",
					delivery.event().type(), delivery.event().eventId(), ex.toString());
			deliverLocally(envelope);
		}
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		try {
			deliverLocally(this.json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), Envelope.class));
		}
		catch (Exception ex) {
			log.warn("Dropped an unreadable event message: {}", ex.toString());
		}
	}

	private void deliverLocally(Envelope envelope) {
		String chatKey = envelope.chatId() == null ? null : envelope.companyId() + "/" + envelope.chatId();
		String payload = envelope.event().toString();
		this.ordering.submit(chatKey, envelope.sequence(), () -> {
			for (StompUser user : this.users.resolve(envelope.companyId(), envelope.recipients())) {
				this.delivery.toUser(user, payload);
			}
		});
	}

}
