package io.autoassign.events;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * The node's one subscription to Redis pub/sub, shared by every channel it listens to: one
 * connection, one thread that handles each message in the order Redis delivers them, and one
 * recovery when Redis comes back (two containers recovering at once were seen to wedge one of
 * them). Stopping it never holds up the shutdown for long. The channels' names are built here
 * (routing's Redis keys are built in {@code assignment/RoutingKeys}).
 */
@Component
class RedisChannels implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RedisChannels.class);

	/** Longest the shutdown waits for the subscription to end. */
	private static final long STOP_WAIT_SECONDS = 5;

	private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

	private final String events;

	RedisChannels(RedisConnectionFactory connectionFactory,
			@Value("${auto-assign.events-channel:aa:events}") String events) {
		this.events = events;
		this.container.setConnectionFactory(connectionFactory);
		SimpleAsyncTaskExecutor subscription = new SimpleAsyncTaskExecutor("redis-channels-");
		subscription.setDaemon(true);
		this.container.setSubscriptionExecutor(subscription);
		this.container.setTaskExecutor(new SyncTaskExecutor());
		this.container.afterPropertiesSet();
		this.container.start();
	}

	/** The channel that wakes every node's event stream after a commit ({@code auto-assign.events-channel}). */
	String events() {
		return this.events;
	}

	/** The channel on which nodes tell each other of agents whose sessions must be checked. */
	String sessions() {
		return this.events + ":sessions";
	}

	/** Hands every message of {@code channel} to {@code listener}, on the subscription's thread. */
	void listen(String channel, MessageListener listener) {
		this.container.addMessageListener(listener, new ChannelTopic(channel));
	}

	@Override
	public void destroy() throws InterruptedException {
		Thread stopping = new Thread(() -> {
			try {
				this.container.destroy();
			}
			catch (Exception ex) {
				log.debug("Stopping the Redis subscription failed: {}", ex.toString());
			}
		}, "redis-channels-stop");
		stopping.setDaemon(true);
		stopping.start();
		stopping.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
		if (stopping.isAlive()) {
			log.warn("The Redis subscription did not stop within {} s; leaving it behind", STOP_WAIT_SECONDS);
		}
	}

}
