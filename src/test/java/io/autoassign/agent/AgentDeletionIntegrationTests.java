package io.autoassign.agent;

import java.time.Duration;
import java.util.Map;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE .../agents/{agentId}}: the agent's chats go to others (or the queue) at once, its
 * WebSocket session is closed with the reason, its tokens are refused, and it is gone.
 */
@IntegrationTest
class AgentDeletionIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	PausePoints pauses;

	String company;

	StompTestClient session;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 2));
		for (String agent : new String[] { "a", "b" }) {
			this.api.put(base() + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
		}
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
	}

	@AfterEach
	void disconnect() {
		if (this.session != null) {
			this.session.close();
		}
	}

	@Test
	void aDeletedAgentsChatsAreRoutedAgainItsSessionClosedAndItsTokensRefused() {
		chat("c1");
		chat("c2");
		this.api.put(base() + "/agents/b/status", Map.of("status", "ACTIVE"));
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		String token = this.api.post(base() + "/agents/a/tokens", null).text("token");
		this.session = StompTestClient.withToken(this.api.base(), token);
		this.session.subscribeOwn();

		assertThat(this.api.send("DELETE", base() + "/agents/a", null, null).status()).isEqualTo(401);
		Api.Response deleted = this.api.send("DELETE", base() + "/agents/a", null, this.api.platformKey());

		assertThat(deleted.status()).isEqualTo(204);
		// b takes one chat (its capacity is 1), the other waits in the queue
		assertThat(this.api.get(base() + "/chats/c1").text("assignedAgentId")).isEqualTo("b");
		assertThat(this.api.get(base() + "/chats/c2").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(this.session.awaitEvent("CHAT_UNASSIGNED", "c1").path("reason").asText()).isEqualTo("AGENT_DELETED");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.session.isConnected());
		assertThat(this.session.errors()).anyMatch((e) -> e.contains("the agent no longer exists"));
		assertThat(this.api.send("GET", base() + "/chats/c1", null, token).status()).isEqualTo(401);
		assertThat(this.api.get(base() + "/agents/a").status()).isEqualTo(404);
		assertThat(this.api.send("DELETE", base() + "/agents/a", null, this.api.platformKey()).status()).isEqualTo(404);
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	/**
	 * The event stream is held before it reads the log while the agent is deleted: the session
	 * must still get the CHAT_UNASSIGNED of its chat before it is closed (it was closed first, and
	 * the event lost, when the session check ran right after the commit).
	 */
	@Test
	void theDeletedAgentIsToldOfItsChatsBeforeItsSessionIsClosed() {
		chat("c1");
		this.api.put(base() + "/agents/b/status", Map.of("status", "ACTIVE"));
		String token = this.api.post(base() + "/agents/a/tokens", null).text("token");
		this.session = StompTestClient.withToken(this.api.base(), token);
		this.session.subscribeOwn();

		try (Gates gates = Gates.install(this.pauses)) {
			Gates.Gate reader = gates.anywhere(Point.EVENT_READ).awaitReached();
			assertThat(this.api.send("DELETE", base() + "/agents/a", null, this.api.platformKey()).status())
				.isEqualTo(204);
			reader.open();

			assertThat(this.session.awaitEvent("CHAT_UNASSIGNED", "c1").path("reason").asText())
				.isEqualTo("AGENT_DELETED");
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.session.isConnected());
			assertThat(this.session.errors()).anyMatch((e) -> e.contains("the agent no longer exists"));
		}
	}

	@Test
	void anAdminTokenMayNotDeleteAndAnUnknownAgentIs404() {
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		String admin = this.api.post(base() + "/agents/boss/tokens", null).text("token");
		assertThat(this.api.send("DELETE", base() + "/agents/a", null, admin).status()).isEqualTo(403);
		assertThat(this.api.get(base() + "/agents/a").status()).isEqualTo(200);
		assertThat(this.api.send("DELETE", base() + "/agents/nobody", null, this.api.platformKey()).status())
			.isEqualTo(404);
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
