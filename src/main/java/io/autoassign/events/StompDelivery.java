package io.autoassign.events;

import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

/**
 * Sends JSON events to the WebSocket sessions of this node, on each user's
 * {@code /user/queue/auto-assign}.
 */
@Component
class StompDelivery {

	static final String DESTINATION = "/queue/auto-assign";

	private final ObjectProvider<SimpMessagingTemplate> template;

	StompDelivery(ObjectProvider<SimpMessagingTemplate> template) {
		// (a provider: the messaging template is built from the WebSocket configuration, which needs this)
		this.template = template;
	}

	/** To every session of the user on this node. */
	void toUser(StompUser user, String json) {
		send(user, null, json);
	}

	/** To one session only (the sync of a subscription). */
	void toSession(StompUser user, String sessionId, String json) {
		send(user, sessionId, json);
	}

	private void send(StompUser user, String sessionId, String json) {
		// Already JSON: sent as it is, without a second conversion.
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		if (sessionId != null) {
			headers.setSessionId(sessionId);
		}
		headers.setLeaveMutable(true);
		Message<byte[]> message = MessageBuilder.createMessage(json.getBytes(StandardCharsets.UTF_8),
				headers.getMessageHeaders());
		this.template.getObject().send("/user/" + user.getName() + DESTINATION, message);
	}

}
