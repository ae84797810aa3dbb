package io.autoassign.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.autoassign.agent.AgentChanged;
import io.autoassign.agent.AgentDeleted;
import io.autoassign.agent.AgentService;
import io.autoassign.platform.AfterTransaction;
import io.autoassign.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A WebSocket session holds only what its token still grants. A session is opened with a
 * token's role and lifetime ({@link StompUser}); it is closed with an ERROR frame that says why
 * when its agent's role changes, when its agent no longer exists, or when its token expires.
 * <ul>
 * <li>A change of role is checked once its transaction is over, on this node at once and on
 * every other node through a Redis channel: each node compares its sessions of that agent with
 * the agent's row.</li>
 * <li>Every {@code auto-assign.websocket.session-check-interval} (5 s) each node compares all
 * its sessions with the agents' rows and the clock: this closes sessions whose token expired,
 * and catches any change whose message did not arrive (Redis down, or a row changed by hand).</li>
 * <li>Between those checks, an expired session already receives no event
 * ({@link ConnectedUsers#resolve}).</li>
 * </ul>
 * The platform's sessions (API key) are not tied to an agent and never expire.
 */
@Component
class SessionRevocation implements MessageListener, InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(SessionRevocation.class);

	private final ConnectedUsers users;

	private final StompDelivery delivery;

	private final EventStream stream;

	private final AgentService agents;

	private final AfterTransaction after;

	private final StringRedisTemplate redis;

	private final RedisChannels channels;

	private final Clock clock;

	private final String channel;

	SessionRevocation(ConnectedUsers users, StompDelivery delivery, EventStream stream, AgentService agents,
			AfterTransaction after, StringRedisTemplate redis, RedisChannels channels, Clock clock) {
		this.users = users;
		this.delivery = delivery;
		this.stream = stream;
		this.agents = agents;
		this.after = after;
		this.redis = redis;
		this.channels = channels;
		this.clock = clock;
		this.channel = channels.sessions();
	}

	@Override
	public void afterPropertiesSet() {
		this.channels.listen(this.channel, this);
	}

	@EventListener
	void agentChanged(AgentChanged change) {
		if (change.before() != null && change.before().role() != change.after().role()) {
			String companyId = change.after().companyId();
			String agentId = change.after().agentId();
			// Once the transaction is over (committed or not: the check reads the row as it is).
			this.after.run("session check of an agent whose role changed", () -> revoke(companyId, agentId));
		}
	}

	@EventListener
	void agentDeleted(AgentDeleted deleted) {
		String companyId = deleted.agent().companyId();
		String agentId = deleted.agent().agentId();
		this.after.run("session check of a deleted agent", () -> revoke(companyId, agentId));
	}

	/**
	 * Checks the agent's sessions on this node and asks every other node to do the same. Each
	 * node checks once its event stream has read the log again, so that the events of the change
	 * (the CHAT_UNASSIGNED of a deleted agent's chats) reach the session before it is closed.
	 */
	void revoke(String companyId, String agentId) {
		checkAfterEvents(companyId, agentId);
		try {
			this.redis.convertAndSend(this.channel, companyId + "|" + agentId);
		}
		catch (RuntimeException ex) {
			log.warn("Could not ask the other nodes to check the sessions of an agent (their periodic check will): {}",
					ex.toString());
		}
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		int bar = body.indexOf('|');
		if (bar > 0) {
			checkAfterEvents(body.substring(0, bar), body.substring(bar + 1));
		}
	}

	private void checkAfterEvents(String companyId, String agentId) {
		this.stream.afterNextRead(() -> {
			try {
				check(companyId, agentId);
			}
			catch (RuntimeException ex) {
				log.warn("Could not check the sessions of an agent (the periodic check will): {}", ex.toString());
			}
		});
	}

	/** Compares every session of this node with its agent's row and the clock. */
	@Scheduled(fixedDelayString = "${auto-assign.websocket.session-check-interval:5s}",
			initialDelayString = "${auto-assign.websocket.session-check-interval:5s}")
	void checkAll() {
		for (String companyId : this.users.companies()) {
			try {
				check(companyId, this.users.sessions(companyId));
			}
			catch (RuntimeException ex) {
				log.warn("Could not check the WebSocket sessions of company {}: {}", companyId, ex.toString());
			}
		}
	}

	private void check(String companyId, String agentId) {
		check(companyId,
				this.users.sessions(companyId).stream().filter((s) -> s.user().agentId().equals(agentId)).toList());
	}

	private void check(String companyId, List<ConnectedUsers.Session> sessions) {
		List<String> agentIds = new ArrayList<>();
		for (ConnectedUsers.Session session : sessions) {
			if (!session.user().isPlatform()) {
				agentIds.add(session.user().agentId());
			}
		}
		if (agentIds.isEmpty()) {
			return;
		}
		Map<String, Role> roles = this.agents.roles(companyId, agentIds.stream().distinct().toList());
		Instant now = this.clock.instant();
		for (ConnectedUsers.Session session : sessions) {
			String reason = session.user().isPlatform() ? null : reason(session.user(), roles, now);
			if (reason != null) {
				this.users.forget(companyId, session.id());
				this.delivery.close(session.id(), session.user(), reason);
				log.info("Closed a WebSocket session of {}: {}", session.user().getName(), reason);
			}
		}
	}

	/** Why the session may no longer stay open, or {@code null} when it may. */
	private static String reason(StompUser user, Map<String, Role> roles, Instant now) {
		if (user.expiredAt(now)) {
			return "Session closed: its token expired at " + user.expiresAt();
		}
		Role role = roles.get(user.agentId());
		if (role == null) {
			return "Session closed: the agent no longer exists";
		}
		if (role != user.role()) {
			return "Session closed: the agent's role changed to " + role + "; connect again with a new token";
		}
		return null;
	}

}
