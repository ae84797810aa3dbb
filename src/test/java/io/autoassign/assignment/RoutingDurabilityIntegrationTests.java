package io.autoassign.assignment;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.AutoAssignApplication;
import io.autoassign.events.AutoAssignEvent;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL is the source of truth: Redis state lost or left behind by a rollback is rebuilt
 * from it, with nothing lost and the queue in its order.
 */
@IntegrationTest
class RoutingDurabilityIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	RoutingState router;

	@Autowired
	ChatRouting routing;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	EventRecorder events;

	@Autowired
	PlatformTransactionManager transactionManager;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		for (String chat : List.of("c1", "c2", "c3", "c4")) {
			this.api.post(base() + "/chats", Map.of("chatId", chat, "member", Map.of("id", "m")));
		}
		assertThat(this.router.queue(this.company)).containsExactly("c2", "c3", "c4");
	}

	@AfterEach
	void consistent() {
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void aFlushedRedisIsRebuiltOnTheNextOperationWithTheQueueInOrder() {
		flush();
		Api.Response c5 = this.api.post(base() + "/chats", Map.of("chatId", "c5", "member", Map.of("id", "m")));
		assertThat(c5.status()).isEqualTo(201);
		assertThat(c5.body().get("queuePosition").intValue()).isEqualTo(4);
		assertThat(this.router.queue(this.company)).containsExactly("c2", "c3", "c4", "c5");
		assertThat(this.router.holder(this.company, "c1")).contains("a");
		assertThat(this.router.loads(this.company)).containsEntry("a", 1);
		this.api.post(base() + "/chats/c1/close", null);
		assertThat(this.api.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.router.queue(this.company)).containsExactly("c3", "c4", "c5");
		assertThat(queuePositions()).containsExactly("c3", "c4", "c5");
	}

	@Test
	void theWatchdogRebuildsAnEmptyRedisWithoutWaitingForAnOperation() {
		flush();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.router.queue(this.company)).containsExactly("c2", "c3", "c4"));
		assertThat(this.router.holder(this.company, "c1")).contains("a");
		assertThat(this.router.eligible(this.company, "*")).isEmpty();
	}

	@Test
	void theQueueSurvivesARestartOfTheApplication() {
		// A second node starting on the same database and Redis rebuilds the routing state from
		// the database; the queue keeps its order and keeps draining.
		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(AutoAssignApplication.class)
			.profiles("test")
			.run("--server.port=0")) {
			Api node = new Api("http://127.0.0.1:" + restarted.getEnvironment().getProperty("local.server.port"),
					this.api.platformKey(), restarted.getBean(ObjectMapper.class));
			assertThat(node.get(base() + "/queue").body().findValuesAsText("chatId")).containsExactly("c2", "c3", "c4");
			assertThat(this.router.queue(this.company)).containsExactly("c2", "c3", "c4");
			assertThat(node.post(base() + "/chats/c1/close", null).status()).isEqualTo(200);
			assertThat(node.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		}
		assertThat(this.router.queue(this.company)).containsExactly("c3", "c4");
	}

	@Test
	void aRolledBackAssignmentLeavesNoSlotReserved() {
		this.api.post(base() + "/chats/c1/close", null);
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1, "autoMenuEnabled", true));
		this.api.post(base() + "/chats", Map.of("chatId", "menu", "member", Map.of("id", "m")));
		// a has c2 again (the queue drained); free the slot so that "menu" could take it
		this.api.post(base() + "/chats/c2/close", null);
		this.api.post(base() + "/chats/c3/close", null);
		this.api.post(base() + "/chats/c4/close", null);
		assertThat(this.router.loads(this.company)).containsEntry("a", 0);

		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		assertThatThrownBy(() -> transaction.executeWithoutResult((status) -> {
			ChatRouting.Result result = this.routing.assign(this.company, "menu", null, false, null);
			assertThat(result.agentId()).isEqualTo("a");
			assertThat(this.router.loads(this.company)).containsEntry("a", 1);
			throw new IllegalStateException("the transaction fails after the reservation");
		})).hasMessageContaining("after the reservation");

		// the repair runs once the rolled-back transaction's connection is back in the pool
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.router.loads(this.company)).containsEntry("a", 0));
		assertThat(this.router.holder(this.company, "menu")).isEmpty();
		// nothing was announced for the rolled-back assignment
		assertThat(this.events.of(this.company, AutoAssignEvent.ChatAssigned.class))
			.noneMatch((event) -> event.chatId().equals("menu"));
		assertThat(this.router.eligible(this.company, "*")).containsExactly("a");
		assertThat(this.api.get(base() + "/chats/menu").text("assignmentStatus")).isEqualTo("PENDING");
	}

	private List<String> queuePositions() {
		return this.api.get(base() + "/queue").body().findValuesAsText("chatId");
	}

	private void flush() {
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushDb();
			return null;
		});
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
