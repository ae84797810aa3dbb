package io.autoassign.events;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.AutoAssignApplication;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application nodes on one PostgreSQL and one Redis: an event reaches each user on
 * whichever node holds its session, exactly once; a change of role on one node closes the
 * agent's sessions on the other.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StompClusterIntegrationTests {

	@Autowired
	Api nodeA;

	@Autowired
	PausePoints pauses;

	Api nodeB;

	ConfigurableApplicationContext second;

	@BeforeAll
	void startSecondNode() {
		this.second = new SpringApplicationBuilder(AutoAssignApplication.class).profiles("test")
			// only the message from the node that made a change can close a session here
			.run("--server.port=0", "--auto-assign.websocket.session-check-interval=1h");
		this.nodeB = new Api("http://127.0.0.1:" + this.second.getEnvironment().getProperty("local.server.port"),
				this.nodeA.platformKey(), this.second.getBean(ObjectMapper.class));
	}

	@AfterAll
	void stopSecondNode() {
		this.second.close();
	}

	@Test
	void anAgentOnNodeBReceivesOnceWhatNodeADecidedAndTheAdminOnNodeAToo() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.nodeA.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.nodeA.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.nodeB.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		try (StompTestClient agentOnB = StompTestClient.withToken(this.nodeB.base(),
				this.nodeA.post(base + "/agents/a/tokens", null).text("token"));
				StompTestClient adminOnA = StompTestClient.withToken(this.nodeA.base(),
						this.nodeB.post(base + "/agents/boss/tokens", null).text("token"))) {
			agentOnB.subscribeOwn();
			adminOnA.subscribeOwn();

			assertThat(this.nodeA.post(base + "/chats", Map.of("chatId", "c1", "member", Map.of("id", "m"))).status())
				.isEqualTo(201);

			assertThat(agentOnB.awaitEvent("CHAT_ASSIGNED", "c1").path("agentId").asText()).isEqualTo("a");
			assertThat(adminOnA.awaitEvent("CHAT_ASSIGNED", "c1").path("agentId").asText()).isEqualTo("a");
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
				.until(() -> agentOnB.received("CHAT_ASSIGNED", "c1").size() == 1
						&& adminOnA.received("CHAT_ASSIGNED", "c1").size() == 1);

			// and the other way round: node B closes, node A's admin and node B's agent learn it
			this.nodeB.post(base + "/chats", Map.of("chatId", "c2", "member", Map.of("id", "m")));
			this.nodeB.post(base + "/chats/c1/close", null);
			assertThat(agentOnB.awaitEvent("CHAT_UNASSIGNED", "c1").path("reason").asText()).isEqualTo("CLOSED");
			adminOnA.awaitEvent("CHAT_ASSIGNED", "c2");
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
				.until(() -> agentOnB.received("CHAT_UNASSIGNED", "c1").size() == 1
						&& adminOnA.received("CHAT_ASSIGNED", "c2").size() == 1);
		}
	}

	@Test
	void aRoleChangedOnNodeAClosesTheAgentsSessionOnNodeB() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.nodeA.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.nodeA.put(base + "/agents/other", Map.of("name", "Other", "role", "ADMIN"));
		try (StompTestClient bossOnB = StompTestClient.withToken(this.nodeB.base(),
				this.nodeA.post(base + "/agents/boss/tokens", null).text("token"));
				StompTestClient otherOnB = StompTestClient.withToken(this.nodeB.base(),
						this.nodeA.post(base + "/agents/other/tokens", null).text("token"))) {
			bossOnB.subscribeOwn();
			otherOnB.subscribeOwn();

			this.nodeA.put(base + "/agents/boss", Map.of("name", "Boss", "role", "AGENT"));

			await().atMost(Duration.ofSeconds(10)).until(() -> !bossOnB.isConnected());
			assertThat(bossOnB.errors()).anyMatch((e) -> e.contains("the agent's role changed to AGENT"));
			assertThat(otherOnB.isConnected()).isTrue();
		}
	}

	/**
	 * Node A commits and never wakes node B (as if it died right after its commit, or Redis refused
	 * the publish): B reads the event from the log on its own and delivers it. (With B reading only
	 * when woken, {@code auto-assign.events.poll-interval=1h}, this fails.)
	 */
	@Test
	void whatANodeCommittedReachesTheOtherNodesSessionsThoughThatNodeNeverWokeThem() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.nodeA.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.nodeA.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		try (Gates gates = Gates.install(this.pauses);
				StompTestClient agentOnB = StompTestClient.withToken(this.nodeB.base(),
						this.nodeA.post(base + "/agents/a/tokens", null).text("token"))) {
			agentOnB.subscribeOwn();
			Gates.Gate wakeUp = gates.at(Point.BEFORE_EVENT_WAKEUP, company)
				.passing()
				.failing(Integer.MAX_VALUE, () -> new IllegalStateException("injected: node A stops before waking B"));

			assertThat(this.nodeA.post(base + "/chats", Map.of("chatId", "c1", "member", Map.of("id", "m"))).status())
				.isEqualTo(201);

			assertThat(agentOnB.awaitEvent("CHAT_ASSIGNED", "c1").path("agentId").asText()).isEqualTo("a");
			assertThat(wakeUp.arrivals()).isPositive();
		}
	}

}
