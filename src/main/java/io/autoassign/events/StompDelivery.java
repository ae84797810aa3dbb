package io.autoassign.events;

import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

/**
 * Sends JSON events to the WebSocket sessions of this node, on each user's
 * {@code /user/queue/auto-assign}, and closes sessions with an ERROR frame.
 */
@Component
class StompDelivery {

	static final String DESTINATION = "/queue/auto-assign";

	private final ObjectProvider<SimpMessagingTemplate> template;

	private final ObjectProvider<MessageChannel> clientOutbound;

	StompDelivery(ObjectProvider<SimpMessagingTemplate> template,
			@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutbound) {
		// (providers: both are built from the WebSocket configuration, which needs this)
		this.template = template;
		this.clientOutbound = clientOutbound;
	}

	/** To one session of the user. */
	void toSession(StompUser user, String sessionId, String json) {
		// Already JSON: sent as it is, without a second conversion.
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		headers.setSessionId(sessionId);
		headers.setLeaveMutable(true);
		Message<byte[]> message = MessageBuilder.createMessage(json.getBytes(StandardCharsets.UTF_8),
				headers.getMessageHeaders());
		this.template.getObject().send("/user/" + user.getName() + DESTINATION, message);
	}

	/**
	 * Sends the session an ERROR frame whose {@code message} header is {@code reason}; Spring's
	 * STOMP handler closes the WebSocket after an ERROR frame, as STOMP requires.
	 */
	void close(String sessionId, StompUser user, String reason) {
		StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.ERROR);
		headers.setSessionId(sessionId);
		headers.setUser(user);
		headers.setMessage(reason);
		headers.setLeaveMutable(true);
		this.clientOutbound.getObject().send(MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()));
	}

}
