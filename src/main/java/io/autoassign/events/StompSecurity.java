package io.autoassign.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.autoassign.domain.Identifiers;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.security.BearerTokens;
import io.autoassign.security.InvalidTokenException;
import io.autoassign.security.Role;
import io.autoassign.security.TokenClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

/**
 * The WebSocket's rules, applied to each frame a client sends:
 * <ul>
 * <li>CONNECT must carry {@code Authorization: Bearer <token>} (an agent or admin token), or
 * the platform API key together with {@code company-id: <company>} (the platform then watches
 * that company as an admin); otherwise it is refused with an ERROR frame.</li>
 * <li>CONNECT must accept STOMP 1.1 or 1.2.</li>
 * <li>SUBSCRIBE (with an {@code id}) is allowed to {@code /user/queue/auto-assign} only, the
 * user's own events; once it is in place the session receives CHAT_ASSIGNMENT_SYNC.</li>
 * <li>Clients only listen: UNSUBSCRIBE and DISCONNECT are the only other frames accepted; SEND,
 * MESSAGE, ACK, NACK, BEGIN, COMMIT, ABORT and the rest are refused with an ERROR frame.</li>
 * </ul>
 * Credentials are never logged.
 */
@Component
class StompSecurity implements ExecutorChannelInterceptor {

	private static final Logger log = LoggerFactory.getLogger(StompSecurity.class);

	static final String OWN_DESTINATION = "/user" + StompDelivery.DESTINATION;

	private final BearerTokens tokens;

	private final byte[] apiKey;

	private final EventStream stream;

	StompSecurity(BearerTokens tokens, AutoAssignProperties properties, EventStream stream) {
		this.tokens = tokens;
		this.apiKey = properties.apiKey().getBytes(StandardCharsets.UTF_8);
		this.stream = stream;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null) {
			return message;
		}
		switch (accessor.getCommand()) {
			case CONNECT, STOMP -> {
				requireSupportedVersion(accessor);
				accessor.setUser(authenticate(accessor));
			}
			case SUBSCRIBE -> {
				if (!(accessor.getUser() instanceof StompUser)) {
					throw new MessageDeliveryException("Not connected");
				}
				if (accessor.getSubscriptionId() == null || accessor.getSubscriptionId().isEmpty()) {
					throw new MessageDeliveryException("SUBSCRIBE needs an 'id' header");
				}
				if (!OWN_DESTINATION.equals(accessor.getDestination())) {
					throw new MessageDeliveryException(
							"Subscribing to " + accessor.getDestination() + " is not allowed; use " + OWN_DESTINATION);
				}
			}
			case UNSUBSCRIBE, DISCONNECT -> {
			}
			case SEND -> throw new MessageDeliveryException("Clients do not send on this endpoint");
			// Clients only listen: SEND, and MESSAGE in particular (the broker would deliver a
			// client's MESSAGE frame to the destination it names, i.e. forge events to other users),
			// ACK/NACK, transactions and the server's own commands are refused.
			default -> throw new MessageDeliveryException(
					accessor.getCommand() + " frames are not accepted from clients on this endpoint");
		}
		return message;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler, Exception ex) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (ex != null || accessor == null || accessor.getCommand() != StompCommand.SUBSCRIBE
				|| !(accessor.getUser() instanceof StompUser user) || !(handler instanceof UserDestinationMessageHandler)) {
			return;
		}
		// The user destination handler has passed the subscription to the broker (synchronously):
		// the sync cannot overtake it. It is read and sent in order with the events.
		this.stream.syncSession(user, accessor.getSessionId());
	}

	/** CONNECT must offer STOMP 1.1 or 1.2 (the versions Spring's broker speaks; none means 1.0). */
	private static void requireSupportedVersion(StompHeaderAccessor accessor) {
		java.util.Set<String> versions = accessor.getAcceptVersion();
		if (!versions.contains("1.2") && !versions.contains("1.1")) {
			throw new MessageDeliveryException("CONNECT must accept STOMP version 1.1 or 1.2");
		}
	}

	private StompUser authenticate(StompHeaderAccessor accessor) {
		String header = accessor.getFirstNativeHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new MessageDeliveryException("CONNECT needs 'Authorization: Bearer <token>'");
		}
		String credential = header.substring(7).trim();
		if (MessageDigest.isEqual(this.apiKey, credential.getBytes(StandardCharsets.UTF_8))) {
			String company = accessor.getFirstNativeHeader("company-id");
			try {
				return new StompUser(Identifiers.company(company), StompUser.PLATFORM, Role.ADMIN, null);
			}
			catch (InvalidInputException ex) {
				throw new MessageDeliveryException("CONNECT with the platform key needs a valid 'company-id' header");
			}
		}
		try {
			TokenClaims claims = this.tokens.verify(credential);
			return new StompUser(claims.companyId(), claims.agentId(), claims.role(), claims.expiresAt());
		}
		catch (InvalidTokenException ex) {
			throw new MessageDeliveryException("CONNECT refused: " + ex.getMessage());
		}
	}

}
