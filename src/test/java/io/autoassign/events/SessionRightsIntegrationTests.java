package io.autoassign.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.Gates;
import io.autoassign.support.Gates.Gate;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket session keeps only what its token still grants: it is routed by the role it was
 * opened with, not by whatever session of the same user connected first, and it is closed with
 * an ERROR frame naming the reason when its agent changes role, no longer exists, or its token
 * expires.
 */
@IntegrationTest
class SessionRightsIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SessionRevocation revocation;

	@Autowired
	ConnectedUsers users;

	@Autowired
	PausePoints pauses;

	String company;

	final List<StompTestClient> clients = new ArrayList<>();

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(StompTestClient::close);
		this.engine.resetClock();
	}

	@Test
	void aDemotedAdminsSessionIsClosedWithTheReason() {
		StompTestClient boss = subscribed("boss");
		StompTestClient a = subscribed("a");

		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "AGENT"));

		await().atMost(Duration.ofSeconds(10)).until(() -> !boss.isConnected());
		assertThat(boss.errors()).anyMatch((e) -> e.contains("Session closed: the agent's role changed to AGENT"));
		// the agent's own session is untouched
		assertThat(a.isConnected()).isTrue();
		assertThat(a.errors()).isEmpty();
	}

	@Test
	void theReasonArrivesThoughAnEventIsBeingWrittenToTheSessionWhenItCloses() {
		StompTestClient boss = subscribed("boss");
		String session = this.users.sessions(this.company)
			.stream()
			.filter((s) -> s.user().agentId().equals("boss"))
			.findFirst()
			.orElseThrow()
			.id();
		try (Gates gates = Gates.install(this.pauses)) {
			Gate writing = gates.at(Point.SESSION_WRITE, session, "MESSAGE");
			Gate closing = gates.at(Point.SESSION_CLOSE, session).passing();
			Gate waiting = gates.at(Point.SESSION_TURN, session).passing();
			// an event to the admin is being written (CHAT_QUEUED: no agent is active) ...
			chat("c1");
			writing.awaitReached();
			// ... when the admin is demoted: the ERROR frame is sent while that write is under way
			this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "AGENT"));
			await().atMost(Duration.ofSeconds(10)).until(() -> closing.arrivals() > 0 || waiting.arrivals() > 0);
			writing.open();
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> !boss.isConnected());
		assertThat(boss.errors()).anyMatch((e) -> e.contains("Session closed: the agent's role changed to AGENT"));
	}

	@Test
	void aPromotedAgentsSessionIsClosedSoThatItReconnectsAsAdmin() {
		StompTestClient a = subscribed("a");

		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "ADMIN"));

		await().atMost(Duration.ofSeconds(10)).until(() -> !a.isConnected());
		assertThat(a.errors()).anyMatch((e) -> e.contains("Session closed: the agent's role changed to ADMIN"));
		// a new token in the new role connects and gets admin events
		StompTestClient again = subscribed("a");
		chat("q1");
		again.awaitEvent("CHAT_QUEUED", "q1");
	}

	@Test
	void anAgentSessionBesideAnOlderAdminSessionOfTheSameUserGetsAgentEventsOnly() {
		// The role is changed by hand in the table (no message to any node), so the admin session
		// stays open until the periodic check: meanwhile both sessions of the same user are open.
		StompTestClient asAdmin = subscribed("boss");
		this.jdbc.update("update aa_agent set role = 'AGENT' where company_id = ? and agent_id = 'boss'", this.company);
		StompTestClient asAgent = subscribed("boss");
		assertThat(asAdmin.isConnected()).isTrue();

		chat("q1"); // nobody is active: queued, CHAT_QUEUED goes to admins only
		this.api.put(base() + "/agents/boss/status", Map.of("status", "ACTIVE"));

		// The agent session learns of the assignment; the chat's earlier CHAT_QUEUED (events of a
		// chat arrive in order) never reached it.
		asAgent.awaitEvent("CHAT_ASSIGNED", "q1");
		assertThat(asAgent.received("CHAT_QUEUED", "q1")).isEmpty();

		// and the periodic check closes the session whose role is gone, not the new one
		this.revocation.checkAll();
		await().atMost(Duration.ofSeconds(10)).until(() -> !asAdmin.isConnected());
		assertThat(asAdmin.errors()).anyMatch((e) -> e.contains("the agent's role changed to AGENT"));
		assertThat(asAgent.isConnected()).isTrue();
	}

	@Test
	void theSessionsOfAnAgentThatNoLongerExistsAreClosed() {
		StompTestClient a = subscribed("a");
		StompTestClient boss = subscribed("boss");
		this.jdbc.update("delete from aa_agent where company_id = ? and agent_id = 'a'", this.company);

		this.revocation.checkAll();

		await().atMost(Duration.ofSeconds(10)).until(() -> !a.isConnected());
		assertThat(a.errors()).anyMatch((e) -> e.contains("Session closed: the agent no longer exists"));
		assertThat(boss.isConnected()).isTrue();
	}

	@Test
	void aSessionIsClosedWhenItsTokenExpiresAndGetsNothingAfter() {
		StompTestClient shortLived = subscribedWith(
				this.api.post(base() + "/agents/boss/tokens", Map.of("ttlMinutes", 1)).text("token"));
		StompTestClient longLived = subscribed("boss");
		chat("q1");
		shortLived.awaitEvent("CHAT_QUEUED", "q1");

		this.engine.advance(Duration.ofMinutes(2));
		chat("q2");
		longLived.awaitEvent("CHAT_QUEUED", "q2");
		this.revocation.checkAll();

		await().atMost(Duration.ofSeconds(10)).until(() -> !shortLived.isConnected());
		assertThat(shortLived.errors()).anyMatch((e) -> e.contains("Session closed: its token expired at"));
		assertThat(shortLived.received("CHAT_QUEUED", "q2")).isEmpty();
		assertThat(longLived.isConnected()).isTrue();
	}

	private StompTestClient subscribed(String agentId) {
		return subscribedWith(this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token"));
	}

	private StompTestClient subscribedWith(String token) {
		StompTestClient client = StompTestClient.withToken(this.api.base(), token);
		this.clients.add(client);
		client.subscribeOwn();
		return client;
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
