package io.autoassign.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * The WebSocket sessions connected to this node, by company: who an event addressed to "all
 * admins of the company" reaches here, without looking at other companies' sessions.
 * <p>
 * Each session is routed by the user it was opened as (role and token lifetime), not by its
 * user name: an agent demoted from admin who opens a new session with an AGENT token gets agent
 * events there even while an older admin session of the same name is still open, and a session
 * whose token has expired receives nothing more.
 */
@Component
class ConnectedUsers {

	/** One session of this node and the user it was opened as. */
	record Session(String id, StompUser user) {
	}

	/** Company → session id → session. */
	private final Map<String, Map<String, Session>> byCompany = new ConcurrentHashMap<>();

	@EventListener
	void connected(SessionConnectedEvent event) {
		if (event.getUser() instanceof StompUser user) {
			String id = StompHeaderAccessor.wrap(event.getMessage()).getSessionId();
			this.byCompany.computeIfAbsent(user.companyId(), (c) -> new ConcurrentHashMap<>())
				.put(id, new Session(id, user));
		}
	}

	@EventListener
	void disconnected(SessionDisconnectEvent event) {
		if (event.getUser() instanceof StompUser user) {
			forget(user.companyId(), event.getSessionId());
		}
	}

	/** Stops routing events to the session at once (it is being closed). */
	void forget(String companyId, String sessionId) {
		this.byCompany.computeIfPresent(companyId, (company, sessions) -> {
			sessions.remove(sessionId);
			return sessions.isEmpty() ? null : sessions;
		});
	}

	/** The sessions of the company that {@code recipients} names, leaving out expired ones. */
	List<Session> resolve(String companyId, Recipients recipients, Instant now) {
		Map<String, Session> company = this.byCompany.get(companyId);
		if (company == null || company.isEmpty()) {
			return List.of();
		}
		List<Session> found = new ArrayList<>();
		for (Session session : company.values()) {
			StompUser user = session.user();
			if ((recipients.userIds().contains(user.agentId()) || (recipients.allAdmins() && user.isAdmin())
					|| (recipients.allAgents() && !user.isAdmin())) && !user.expiredAt(now)) {
				found.add(session);
			}
		}
		return found;
	}

	/** The companies with sessions on this node. */
	Set<String> companies() {
		return Set.copyOf(this.byCompany.keySet());
	}

	/** The sessions of one company on this node. */
	List<Session> sessions(String companyId) {
		Map<String, Session> company = this.byCompany.get(companyId);
		return company == null ? List.of() : List.copyOf(company.values());
	}

}
