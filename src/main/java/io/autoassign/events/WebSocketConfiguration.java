package io.autoassign.events;

import java.io.IOException;

import io.autoassign.platform.PausePoints;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * STOMP over WebSocket at {@code /ws} (and with SockJS at {@code /ws-sockjs}): each user's
 * events on {@code /user/queue/auto-assign}, heartbeats every 10 s both ways, and bounded
 * per-session send buffers and times so that a slow or dead client cannot hold up the others
 * (its session is closed instead). A session's messages leave in the order they were sent.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class WebSocketConfiguration implements WebSocketMessageBrokerConfigurer, DisposableBean {

	/** Longest a send to one session may block before the session is closed. */
	static final int SEND_TIME_LIMIT_MILLIS = 10_000;

	/** Most a session may have waiting to be sent before it is closed. */
	static final int SEND_BUFFER_LIMIT_BYTES = 512 * 1024;

	private final StompSecurity security;

	private final PausePoints pauses;

	private final String[] allowedOrigins;

	/** Heartbeats only: not a bean, so that it does not become the application's scheduler. */
	private final ThreadPoolTaskScheduler heartbeats = new ThreadPoolTaskScheduler();

	WebSocketConfiguration(StompSecurity security, PausePoints pauses,
			@Value("${auto-assign.websocket.allowed-origins:*}") String[] allowedOrigins) {
		this.security = security;
		this.pauses = pauses;
		this.allowedOrigins = allowedOrigins;
		this.heartbeats.setPoolSize(1);
		this.heartbeats.setThreadNamePrefix("stomp-heartbeat-");
		this.heartbeats.initialize();
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		// Bearer tokens travel in the CONNECT frame, not in cookies: any origin may connect.
		registry.addEndpoint("/ws").setAllowedOriginPatterns(this.allowedOrigins);
		registry.addEndpoint("/ws-sockjs").setAllowedOriginPatterns(this.allowedOrigins).withSockJS();
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/queue")
			.setHeartbeatValue(new long[] { 10_000, 10_000 })
			.setTaskScheduler(this.heartbeats);
		registry.setUserDestinationPrefix("/user");
		// A session's messages leave in the order they were sent (the outbound channel is a pool).
		registry.setPreservePublishOrder(true);
		registry.setApplicationDestinationPrefixes("/app");
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.security);
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setSendTimeLimit(SEND_TIME_LIMIT_MILLIS)
			.setSendBufferSizeLimit(SEND_BUFFER_LIMIT_BYTES)
			.setMessageSizeLimit(16 * 1024)
			.setTimeToFirstMessage(30_000)
			.addDecoratorFactory((handler) -> new BlockedSendTimeout(handler, this.pauses));
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		// A send blocked on a client that stopped reading holds one of these threads until
		// Tomcat gives up the write (BlockedSendTimeout); meanwhile the session's further messages
		// pile up in its buffer (closed at its limit) and the other threads serve the others. All
		// threads run at once (a pool only grows past its core when its queue is full).
		registration.taskExecutor().corePoolSize(OUTBOUND_THREADS).maxPoolSize(OUTBOUND_THREADS).queueCapacity(10_000);
		registration.interceptors(new SessionSends(this.pauses));
	}

	/** Threads that send to the sessions. */
	static final int OUTBOUND_THREADS = 32;

	/** Longest one write to a client may block before Tomcat fails it (its default is 20 s). */
	static final long BLOCKED_SEND_TIMEOUT_MILLIS = 5_000;

	/**
	 * Bounds a write blocked on a client that stopped reading: Tomcat's blocking send waits 20 s
	 * by default, and eight dead clients then hold eight sending threads for 20 s each time (a
	 * live session whose messages wait behind them lost its connection in
	 * {@code SlowClientIntegrationTests}).
	 */
	private static final class BlockedSendTimeout extends WebSocketHandlerDecorator {

		private final PausePoints pauses;

		BlockedSendTimeout(WebSocketHandler delegate, PausePoints pauses) {
			super(delegate);
			this.pauses = pauses;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			if (session instanceof NativeWebSocketSession nativeSession
					&& nativeSession.getNativeSession() instanceof jakarta.websocket.Session standard) {
				standard.getUserProperties()
					.put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", BLOCKED_SEND_TIMEOUT_MILLIS);
			}
			super.afterConnectionEstablished(new Observed(session, this.pauses));
		}

	}

	/** A session whose writes and closing pass the pause points {@code SESSION_WRITE} and {@code SESSION_CLOSE}. */
	private static final class Observed extends WebSocketSessionDecorator {

		private final PausePoints pauses;

		Observed(WebSocketSession session, PausePoints pauses) {
			super(session);
			this.pauses = pauses;
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			this.pauses.reached(PausePoints.Point.SESSION_WRITE, getId(), command(message));
			super.sendMessage(message);
		}

		@Override
		public void close(CloseStatus status) throws IOException {
			this.pauses.reached(PausePoints.Point.SESSION_CLOSE, getId(), null);
			super.close(status);
		}

		private static String command(WebSocketMessage<?> message) {
			if (message instanceof TextMessage text) {
				String payload = text.getPayload();
				int end = payload.indexOf('\n');
				return end < 0 ? payload : payload.substring(0, end);
			}
			return null;
		}

	}

	@Override
	public void destroy() {
		this.heartbeats.shutdown();
	}

}
