package io.autoassign.bench;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Real STOMP clients of agents and admins, as their browsers would hold them: one WebSocket
 * each, subscribed to their own queue. Every event goes to every listener with its arrival time.
 */
public final class AgentSessions implements AutoCloseable {

	/** An event as it arrived: the receiving user, the parsed JSON, {@link System#nanoTime()} at arrival. */
	public record Received(String user, JsonNode event, long nanos) {
	}

	private final WebSocketStompClient client;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final List<StompSession> sessions = new ArrayList<>();

	private final List<Consumer<Received>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	public AgentSessions() {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(4 * 1024 * 1024);
		this.client = new WebSocketStompClient(new StandardWebSocketClient(container));
		this.client.setInboundMessageSizeLimit(4 * 1024 * 1024);
		this.scheduler.initialize();
		this.client.setTaskScheduler(this.scheduler);
		this.client.setDefaultHeartbeat(new long[] { 10000, 10000 });
	}

	/** Adds a listener; each event goes to every listener. */
	public void listen(Consumer<Received> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Connects the user with its token and waits for its CHAT_ASSIGNMENT_SYNC; answers the
	 * session, which tells whether it is still connected.
	 */
	public StompSession connect(String base, String user, String token) {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + token);
		CountDownLatch synced = new CountDownLatch(1);
		try {
			StompSession session = this.client
				.connectAsync(base.replace("http://", "ws://") + "/ws", new WebSocketHttpHeaders(), headers,
						new StompSessionHandlerAdapter() {
						})
				.get(30, TimeUnit.SECONDS);
			session.subscribe("/user/queue/auto-assign", new StompFrameHandler() {
				@Override
				public Type getPayloadType(StompHeaders frameHeaders) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders frameHeaders, Object payload) {
					long now = System.nanoTime();
					try {
						JsonNode event = ServiceClient.JSON.readTree((byte[]) payload);
						if ("CHAT_ASSIGNMENT_SYNC".equals(event.path("type").asText())) {
							synced.countDown();
						}
						Received received = new Received(user, event, now);
						AgentSessions.this.listeners.forEach((listener) -> listener.accept(received));
					}
					catch (java.io.IOException ex) {
						throw new IllegalStateException(ex);
					}
				}
			});
			synchronized (this.sessions) {
				this.sessions.add(session);
			}
			if (!synced.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException(user + " got no CHAT_ASSIGNMENT_SYNC");
			}
			return session;
		}
		catch (Exception ex) {
			throw new IllegalStateException("STOMP connect of " + user + " failed: " + ex, ex);
		}
	}

	@Override
	public void close() {
		synchronized (this.sessions) {
			for (StompSession session : this.sessions) {
				try {
					session.disconnect();
				}
				catch (RuntimeException ex) {
					// already gone
				}
			}
			this.sessions.clear();
		}
		this.client.stop();
		this.scheduler.shutdown();
	}

}
