package io.autoassign.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.autoassign.domain.NotFoundException;
import io.autoassign.domain.ServiceUnavailableException;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.platform.PausePoints;
import io.autoassign.support.Api;
import io.autoassign.support.Gates;
import io.autoassign.support.Gates.Gate;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

	@Autowired
	ChatService chats;

	@Autowired
	ChatStore store;

	@Autowired
	PausePoints pauses;

	@Autowired
	AutoAssignProperties properties;

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
		List<ChatService.Outcome> results = this.chats.createEach(batch);

		assertThat(results.get(0).orThrow().created()).isTrue();
		assertThat(results.get(1).orThrow().created()).isTrue();
		assertThatThrownBy(() -> results.get(2).orThrow()).isInstanceOf(NotFoundException.class);
		assertThat(results.get(3).orThrow().created()).isFalse();
		assertThat(results.get(3).orThrow().chat()).isEqualTo(results.get(0).orThrow().chat());
		assertThat(results.get(4).orThrow().created()).isTrue();
		// round robin over a and b, in the batch's order
		assertThat(List.of(results.get(0).orThrow().chat().assignedAgentId(),
				results.get(1).orThrow().chat().assignedAgentId(), results.get(4).orThrow().chat().assignedAgentId()))
			.containsExactly("a", "b", "a");
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
		List<ChatService.Outcome> results = this.chats.createEach(
				List.of(chat(this.company, "good-1"), chat(this.company, tooLong), chat(this.company, "good-2")));

		assertThat(results.get(0).orThrow().created()).isTrue();
		assertThat(results.get(1).failure()).isNotNull();
		assertThat(results.get(2).orThrow().created()).isTrue();
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

	@Test
	void aChatWhoseCallerWasAnsweredUnavailableWhileItWaitedIsNeverCreated() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		ChatIntake intake = oneWorker(Duration.ofSeconds(1));
		try (Gates gates = Gates.install(this.pauses)) {
			Gate taken = gates.at(PausePoints.Point.INTAKE_TAKEN, this.company, "first");
			Future<ChatService.Created> first = pool.submit(() -> intake.create(chat(this.company, "first")));
			taken.awaitReached();

			// The only worker is held with "first": "late" waits, and its caller is answered 503.
			assertThatThrownBy(() -> intake.create(chat(this.company, "late")))
				.isInstanceOf(ServiceUnavailableException.class)
				.hasMessageContaining("was not created");
			taken.open();

			// the worker takes requests in order: once "after" is created, "late" was dealt with
			assertThat(intake.create(chat(this.company, "after")).created()).isTrue();
			assertThat(this.store.find(this.company, "late")).isEmpty();
			assertThat(lifecycles("late")).isZero();
			// "first" was under way when its wait ran out: its caller gets the chat, or its name
			assertCreatedOrNamed(first, "first");
			assertThat(this.store.find(this.company, "first")).isPresent();
			assertThat(this.invariants.check(this.company).violations()).isEmpty();
		}
		finally {
			intake.stop();
			pool.shutdownNow();
		}
	}

	@Test
	void aChatUnderWayWhenItsCallersWaitRunsOutIsNamedInTheAnswerAndCreated() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		ChatIntake intake = oneWorker(Duration.ofMillis(300));
		try (Gates gates = Gates.install(this.pauses)) {
			Gate taken = gates.at(PausePoints.Point.INTAKE_TAKEN, this.company, "slow");
			Future<ChatService.Created> slow = pool.submit(() -> intake.create(chat(this.company, "slow")));
			taken.awaitReached();

			// held past twice the wait: the caller is told which chat will exist
			assertThatThrownBy(slow::get).cause()
				.isInstanceOf(ServiceUnavailableException.class)
				.satisfies((ex) -> assertThat(((ServiceUnavailableException) ex).properties())
					.containsEntry("chatId", "slow"));
			taken.open();

			await().atMost(Duration.ofSeconds(20)).until(() -> this.store.find(this.company, "slow").isPresent());
			// asking again with the same chatId finds it
			ChatService.Created again = intake.create(chat(this.company, "slow"));
			assertThat(again.created()).isFalse();
			assertThat(again.chat().chatId()).isEqualTo("slow");
			assertThat(lifecycles("slow")).isEqualTo(1);
		}
		finally {
			intake.stop();
			pool.shutdownNow();
		}
	}

	/** An intake of its own: one worker, one chat per batch, a short wait. */
	private ChatIntake oneWorker(Duration timeout) {
		AutoAssignProperties p = this.properties;
		ChatIntake intake = new ChatIntake(this.chats,
				new AutoAssignProperties(p.apiKey(), p.tokenSecret(), p.tokenTtl(), p.embeddedRedis(),
						p.rebuildRoutingOnStart(), p.embeddedRun(), new AutoAssignProperties.Intake(1, 1, 100, timeout),
						p.jobs()),
				this.pauses);
		intake.start();
		return intake;
	}

	private void assertCreatedOrNamed(Future<ChatService.Created> result, String chatId) throws InterruptedException {
		try {
			assertThat(result.get().chat().chatId()).isEqualTo(chatId);
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(ServiceUnavailableException.class);
			assertThat(((ServiceUnavailableException) ex.getCause()).properties()).containsEntry("chatId", chatId);
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
		return new ChatService.NewChat(companyId, chatId, "m-" + chatId, null, "Hello", null, null);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
