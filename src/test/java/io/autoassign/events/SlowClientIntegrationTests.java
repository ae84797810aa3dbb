package io.autoassign.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.Api;
import io.autoassign.support.DeadStompClient;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading cannot hold up the others: its session is closed once its send
 * buffer is full, while everyone else keeps receiving.
 */
@IntegrationTest
class SlowClientIntegrationTests {

	static final int CHATS = 150;

	@Autowired
	Api api;

	@Autowired
	ConnectedUsers connected;

	@Test
	void aClientThatStopsReadingIsDisconnectedAndTheOthersKeepReceiving() throws Exception {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/agents/healthy", Map.of("name", "Healthy", "role", "ADMIN"));
		this.api.put(base + "/agents/dead", Map.of("name", "Dead", "role", "ADMIN"));
		this.api.put(base + "/auto-assign", Map.of("unlimitedChatsPerAgent", true));
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		try (StompTestClient healthy = StompTestClient.withToken(this.api.base(),
				this.api.post(base + "/agents/healthy/tokens", null).text("token"));
				DeadStompClient dead = DeadStompClient.connectAndSubscribe(this.api.base(),
						this.api.post(base + "/agents/dead/tokens", null).text("token"))) {
			healthy.subscribeOwn();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.connected.sessions(company).size() == 2);

			// every admin receives each CHAT_ASSIGNED, about 9 KB with its last-message preview
			String text = "x".repeat(9_000);
			for (int i = 0; i < CHATS; i++) {
				assertThat(this.api.post(base + "/chats",
						Map.of("chatId", "c" + i, "member", Map.of("id", "m"), "message", text)).status())
					.isEqualTo(201);
			}

			await().atMost(Duration.ofSeconds(30)).until(() -> healthy.received("CHAT_ASSIGNED", null).size() == CHATS);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.connected.sessions(company)
				.stream()
				.noneMatch((session) -> session.user().agentId().equals("dead")));
			assertThat(healthy.isConnected()).isTrue();
		}
	}

	/**
	 * Eight sessions stop reading: a write to each blocks in Tomcat and their further messages pile
	 * up in their buffers, yet a ninth session receives every event, and the eight are closed by
	 * the buffer or time limit. (With eight sending threads and Tomcat's 20 s blocking write, the
	 * ninth lost its connection after 8 of the 400 events.)
	 */
	@Test
	void eightClientsThatStopReadingDoNotHoldUpANinth() throws Exception {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/agents/healthy", Map.of("name", "Healthy", "role", "ADMIN"));
		this.api.put(base + "/auto-assign", Map.of("unlimitedChatsPerAgent", true));
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		List<DeadStompClient> dead = new ArrayList<>();
		try (StompTestClient healthy = StompTestClient.withToken(this.api.base(),
				this.api.post(base + "/agents/healthy/tokens", null).text("token"))) {
			for (int i = 0; i < 8; i++) {
				this.api.put(base + "/agents/dead" + i, Map.of("name", "Dead " + i, "role", "ADMIN"));
				dead.add(DeadStompClient.connectAndSubscribe(this.api.base(),
						this.api.post(base + "/agents/dead" + i + "/tokens", null).text("token")));
			}
			healthy.subscribeOwn();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.connected.sessions(company).size() == 9);

			String text = "x".repeat(9_000);
			int chats = 400;
			for (int i = 0; i < chats; i++) {
				assertThat(this.api.post(base + "/chats",
						Map.of("chatId", "c" + i, "member", Map.of("id", "m"), "message", text)).status())
					.isEqualTo(201);
			}

			await().atMost(Duration.ofSeconds(60)).until(() -> healthy.received("CHAT_ASSIGNED", null).size() == chats);
			await().atMost(Duration.ofSeconds(60)).until(() -> this.connected.sessions(company)
				.stream()
				.noneMatch((session) -> session.user().agentId().startsWith("dead")));
			assertThat(healthy.isConnected()).isTrue();
		}
		finally {
			for (DeadStompClient client : dead) {
				client.close();
			}
		}
	}

}
