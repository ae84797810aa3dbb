package io.autoassign.support;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.awaitility.Awaitility.await;

/**
 * A real STOMP client over a real WebSocket (Spring's {@link WebSocketStompClient}) that records
 * every message and error it receives.
 */
public final class StompTestClient implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final WebSocketStompClient client;

	private final ThreadPoolTaskScheduler heartbeats;

	private final List<JsonNode> messages = new CopyOnWriteArrayList<>();

	private final List<String> errors = new CopyOnWriteArrayList<>();

	private volatile StompHeaders connected;

	private StompSession session;

	private StompTestClient() {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		// events with a chat's last-message preview exceed the container's default 8 KiB
		container.setDefaultMaxTextMessageBufferSize(256 * 1024);
		container.setDefaultMaxBinaryMessageBufferSize(256 * 1024);
		this.client = new WebSocketStompClient(new StandardWebSocketClient(container));
		this.client.setInboundMessageSizeLimit(256 * 1024);
		this.heartbeats = new ThreadPoolTaskScheduler();
		this.heartbeats.initialize();
		this.client.setTaskScheduler(this.heartbeats);
	}

	/** Connects to {@code base}/ws with the given CONNECT headers; fails when the server refuses. */
	public static StompTestClient connect(String base, Map<String, String> connectHeaders) {
		StompTestClient test = new StompTestClient();
		StompHeaders headers = new StompHeaders();
		connectHeaders.forEach(headers::add);
		String url = base.replace("http://", "ws://") + "/ws";
		try {
			test.session = test.client.connectAsync(url, new WebSocketHttpHeaders(), headers, test.new Handler())
				.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			test.close();
			throw new IllegalStateException("CONNECT failed: " + test.errors, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return test;
	}

	/** Connects with an agent/admin token. */
	public static StompTestClient withToken(String base, String token) {
		return connect(base, Map.of("Authorization", "Bearer " + token));
	}

	public StompTestClient subscribe(String destination) {
		this.session.subscribe(destination, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				try {
					StompTestClient.this.messages.add(JSON.readTree((byte[]) payload));
				}
				catch (java.io.IOException ex) {
					StompTestClient.this.errors.add("unreadable message: " + ex);
				}
			}
		});
		return this;
	}

	/** Sends a SEND frame with a JSON body to {@code destination}. */
	public StompTestClient send(String destination, String json) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		this.session.send(headers, json.getBytes(StandardCharsets.UTF_8));
		return this;
	}

	/** Subscribes to the user's own events and waits for the assignment sync. */
	public JsonNode subscribeOwn() {
		subscribe("/user/queue/auto-assign");
		return awaitMessage((m) -> m.path("type").asText().equals("CHAT_ASSIGNMENT_SYNC"));
	}

	public JsonNode awaitMessage(Predicate<JsonNode> match) {
		await().atMost(Duration.ofSeconds(15)).until(() -> this.messages.stream().anyMatch(match));
		return this.messages.stream().filter(match).findFirst().orElseThrow();
	}

	public JsonNode awaitEvent(String type, String chatId) {
		return awaitMessage((m) -> m.path("type").asText().equals(type)
				&& (chatId == null || chatId.equals(m.path("chatId").asText())));
	}

	/** The messages received so far of the given type (and chat, unless null). */
	public List<JsonNode> received(String type, String chatId) {
		List<JsonNode> found = new ArrayList<>();
		for (JsonNode message : this.messages) {
			if (message.path("type").asText().equals(type)
					&& (chatId == null || chatId.equals(message.path("chatId").asText()))) {
				found.add(message);
			}
		}
		return found;
	}

	public List<JsonNode> messages() {
		return List.copyOf(this.messages);
	}

	public List<String> errors() {
		return List.copyOf(this.errors);
	}

	/** The CONNECTED frame's headers (the handler may see them a moment after the connect completes). */
	public StompHeaders connectedHeaders() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connected != null);
		return this.connected;
	}

	public boolean isConnected() {
		return this.session != null && this.session.isConnected();
	}

	@Override
	public void close() {
		try {
			if (this.session != null && this.session.isConnected()) {
				this.session.disconnect();
			}
		}
		catch (RuntimeException ex) {
			// already gone
		}
		this.client.stop();
		this.heartbeats.shutdown();
	}

	private final class Handler extends StompSessionHandlerAdapter {

		@Override
		public void afterConnected(StompSession session, StompHeaders headers) {
			StompTestClient.this.connected = headers;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			// ERROR frames arrive here
			StompTestClient.this.errors.add("ERROR " + headers.getFirst("message"));
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
				Throwable exception) {
			StompTestClient.this.errors.add("exception " + exception);
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			StompTestClient.this.errors.add("transport " + exception);
		}

	}

}
