package io.autoassign.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * New chats are created in batches: each request still gets its own answer, duplicates find
 * the chat the first one created, and one failing chat fails alone.
 */
@IntegrationTest
class ChatIntakeIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	ChatIntake intake;

	@Autowired
	RuntimeService runtime;

	@Autowired
	InvariantChecker invariants;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 3, "strategy", "round_robin"));
		for (String agent : List.of("a", "b")) {
			this.api.put(base() + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
			this.api.put(base() + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
		}
	}

	@Test
	void aBatchAnswersEachChatAndCreatesEachOnce() throws Exception {
		String unknown = Api.newCompany();
		List<ChatService.NewChat> batch = List.of(chat(this.company, "one"), chat(this.company, "two"),
				chat(unknown, "x"), chat(this.company, "one"), chat(this.company, "three"));
		List<CompletableFuture<ChatService.Created>> results = this.intake.createBatch(batch);

		assertThat(results.get(0).get().created()).isTrue();
		assertThat(results.get(1).get().created()).isTrue();
		assertThatThrownBy(() -> results.get(2).get()).hasCauseInstanceOf(io.autoassign.web.NotFoundException.class);
		assertThat(results.get(3).get().created()).isFalse();
		assertThat(results.get(3).get().chat()).isEqualTo(results.get(0).get().chat());
		assertThat(results.get(4).get().created()).isTrue();
		// round robin over a and b, in the batch's order
		assertThat(List.of(results.get(0).get().chat().assignedAgentId(), results.get(1).get().chat().assignedAgentId(),
				results.get(4).get().chat().assignedAgentId())).containsExactly("a", "b", "a");
		for (String chatId : List.of("one", "two", "three")) {
			assertThat(lifecycles(chatId)).as(chatId).isEqualTo(1);
			assertThat(this.api.get(base() + "/chats/" + chatId).text("assignmentStatus")).isEqualTo("ASSIGNED");
		}
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void aChatThatFailsTheBatchFailsAloneAndTheOthersAreCreated() throws Exception {
		// a chat id the database cannot store fails the whole transaction; the REST API would
		// have refused it, so only a direct call can produce it
		String tooLong = "x".repeat(200);
		List<CompletableFuture<ChatService.Created>> results = this.intake.createBatch(
				List.of(chat(this.company, "good-1"), chat(this.company, tooLong), chat(this.company, "good-2")));

		assertThat(results.get(0).get().created()).isTrue();
		assertThatThrownBy(() -> results.get(1).get()).isInstanceOf(ExecutionException.class);
		assertThat(results.get(2).get().created()).isTrue();
		assertThat(lifecycles("good-1")).isEqualTo(1);
		assertThat(lifecycles("good-2")).isEqualTo(1);
		assertThat(lifecycles(tooLong)).isZero();
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void concurrentRequestsWithRepeatedIdsEachGetTheirAnswer() throws Exception {
		int requests = 120;
		ExecutorService pool = Executors.newFixedThreadPool(24);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<Api.Response>> responses = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				// every id is posted three times
				String chatId = "c-" + (i % (requests / 3));
				responses.add(pool.submit(() -> {
					start.await();
					return this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m")));
				}));
			}
			start.countDown();
			Map<String, List<Integer>> statuses = new HashMap<>();
			Map<String, String> agents = new HashMap<>();
			for (Future<Api.Response> future : responses) {
				Api.Response response = future.get();
				String chatId = response.text("chatId");
				statuses.computeIfAbsent(chatId, (id) -> new ArrayList<>()).add(response.status());
				String agent = response.text("assignedAgentId") + "/" + response.text("assignmentStatus");
				assertThat(agents.putIfAbsent(chatId, agent)).as("every answer for " + chatId + " agrees")
					.isIn(null, agent);
			}
			assertThat(statuses).hasSize(requests / 3);
			statuses.forEach((chatId, codes) -> assertThat(codes).as(chatId).containsExactlyInAnyOrder(201, 200, 200));
			for (String chatId : statuses.keySet()) {
				assertThat(lifecycles(chatId)).as(chatId).isEqualTo(1);
			}
			// 2 agents x 3 slots: six assigned, the rest queued in order
			assertThat(agents.values().stream().filter((a) -> a.endsWith("/ASSIGNED")).count()).isEqualTo(6);
			assertThat(this.invariants.check(this.company).violations()).isEmpty();
		}
		finally {
			pool.shutdownNow();
		}
	}

	private long lifecycles(String chatId) {
		return this.runtime.createProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.tenantIdIn(this.company)
			.processInstanceBusinessKey(chatId)
			.count();
	}

	private static ChatService.NewChat chat(String companyId, String chatId) {
		return new ChatService.NewChat(companyId, chatId, "m-" + chatId, null, "Hello");
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
