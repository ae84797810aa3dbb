package io.autoassign.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * The users connected to this node, by company: who an event addressed to "all admins of the
 * company" reaches here, without looking at other companies' sessions.
 */
@Component
public class ConnectedUsers {

	private record Sessions(StompUser user, Map<String, Boolean> ids) {
	}

	private final Map<String, Map<String, Sessions>> byCompany = new ConcurrentHashMap<>();

	@EventListener
	void connected(SessionConnectedEvent event) {
		if (event.getUser() instanceof StompUser user) {
			String session = StompHeaderAccessor.wrap(event.getMessage()).getSessionId();
			this.byCompany.computeIfAbsent(user.companyId(), (c) -> new ConcurrentHashMap<>())
				.compute(user.getName(), (name, sessions) -> {
					Sessions s = sessions != null ? sessions : new Sessions(user, new ConcurrentHashMap<>());
					s.ids().put(session, Boolean.TRUE);
					return s;
				});
		}
	}

	@EventListener
	void disconnected(SessionDisconnectEvent event) {
		if (event.getUser() instanceof StompUser user) {
			Map<String, Sessions> company = this.byCompany.get(user.companyId());
			if (company != null) {
				company.computeIfPresent(user.getName(), (name, sessions) -> {
					sessions.ids().remove(event.getSessionId());
					return sessions.ids().isEmpty() ? null : sessions;
				});
			}
		}
	}

	/** The connected users of the company that {@code recipients} names. */
	public List<StompUser> resolve(String companyId, Recipients recipients) {
		Map<String, Sessions> company = this.byCompany.get(companyId);
		if (company == null || company.isEmpty()) {
			return List.of();
		}
		return company.values()
			.stream()
			.map(Sessions::user)
			.filter((user) -> recipients.userIds().contains(user.agentId())
					|| (recipients.allAdmins() && user.isAdmin()) || (recipients.allAgents() && !user.isAdmin()))
			.toList();
	}

}
