package io.autoassign.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.AutoAssignApplication;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.QueueDispatchProcess;
import io.autoassign.support.Api;
import io.autoassign.support.StompTestClient;
import org.camunda.bpm.engine.HistoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The course of a failure test: an application (job executor on) on the servers the test names,
 * a company with agents, {@link ChatLoad} on it; a backing server fails in the middle of the
 * load and comes back while the load goes on. Afterwards: no 500 and no stack trace at any time,
 * only clean 503s while the server was away, the invariant checker passes without anyone
 * stepping in, every chat created with a 2xx exists once, every chat queued before the failure
 * is still queued (in its order) or was assigned from the head of the queue, an admin's
 * WebSocket session receives events again, and the job executor still runs jobs.
 * <p>
 * Size knobs (system properties): {@code reliability.chats} chats to create before the failure
 * and again after it (default 60), {@code reliability.rate} new chats a second (default 20),
 * {@code reliability.outage-seconds} how long the server stays down (default 8; at least until
 * five requests have been answered meanwhile).
 */
final class FailureDrill {

	private static final Logger log = LoggerFactory.getLogger(FailureDrill.class);

	/** How long the service may take to recover; generous for a loaded 2-core machine. */
	private static final Duration RECOVERY = Duration.ofMinutes(5);

	static final int CHATS = Integer.getInteger("reliability.chats", 60);

	static final int RATE = Integer.getInteger("reliability.rate", 20);

	static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("reliability.outage-seconds", 8));

	static final int AGENTS = 4;

	static final int CAPACITY = 2;

	/** What fails and comes back. */
	interface Failure {

		void fail() throws Exception;

		void recover() throws Exception;

	}

	private FailureDrill() {
	}

	static ConfigurableApplicationContext startApplication(String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--camunda.bpm.job-execution.enabled=true",
				"--auto-assign.events-channel=aa:rel-events-" + UUID.randomUUID()));
		args.addAll(List.of(properties));
		return new SpringApplicationBuilder(AutoAssignApplication.class).profiles("test")
			.run(args.toArray(String[]::new));
	}

	static void run(ConfigurableApplicationContext application, Failure failure) throws Exception {
		Api api = new Api("http://127.0.0.1:" + application.getEnvironment().getProperty("local.server.port"),
				application.getEnvironment().getProperty("auto-assign.api-key"), application.getBean(ObjectMapper.class));
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		assertThat(api.patch(base + "/auto-assign", Map.of("maxChatsPerAgent", CAPACITY)).status()).isEqualTo(200);
		for (int i = 1; i <= AGENTS; i++) {
			assertThat(api.put(base + "/agents/a" + i, Map.of("name", "A" + i, "role", "AGENT")).status() / 100)
				.isEqualTo(2);
			assertThat(api.put(base + "/agents/a" + i + "/status", Map.of("status", "ACTIVE")).status()).isEqualTo(200);
		}
		assertThat(api.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN")).status() / 100).isEqualTo(2);
		String adminToken = api.post(base + "/agents/boss/tokens", null).text("token");
		InvariantChecker checker = application.getBean(InvariantChecker.class);
		ChatStore store = application.getBean(ChatStore.class);

		List<String> queuedBefore;
		try (ChatLoad load = new ChatLoad(api, company, adminToken, 4);
				StompTestClient console = StompTestClient.withToken(api.base(), adminToken)) {
			console.subscribeOwn();
			load.start(RATE);
			await("chats created before the failure").atMost(RECOVERY)
				.until(() -> load.createdIn("before") >= CHATS && !queue(api, base).isEmpty());
			queuedBefore = queue(api, base);

			load.phase("down");
			failure.fail();
			// The outage lasts OUTAGE (the scenario's length, not a wait for the application) and
			// until some requests have been answered meanwhile.
			long downSince = System.nanoTime();
			await("the outage").atMost(RECOVERY.plus(OUTAGE))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> load.answeredIn("down") >= 5 && System.nanoTime() - downSince >= OUTAGE.toNanos());

			failure.recover();
			load.phase("after");
			await("chats created after the server came back").atMost(RECOVERY)
				.until(() -> load.createdIn("after") >= CHATS);
			// The WebSocket session lived through the failure, and events of chats created since
			// reach it again (they travel through Redis pub/sub even on one node).
			await("an event of a chat created after the failure reaches the admin's console").atMost(RECOVERY)
				.until(() -> console.messages()
					.stream()
					.anyMatch((m) -> m.path("type").asText().equals("CHAT_QUEUED")
							&& load.createdAfter.contains(m.path("chatId").asText())));
			load.close();

			log.info("Answers by phase and status: {}", load.answers());
			assertThat(load.unexpected).as("answers other than 2xx or a clean 503").isEmpty();
			assertThat(load.answers().get("down")).as("answers while down").containsKey(503);

			await("the invariant checker passes").atMost(RECOVERY)
				.pollInterval(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(checker.check(company).violations()).isEmpty());

			Map<String, Chat> chats = new HashMap<>();
			for (Chat chat : store.all(company)) {
				assertThat(chats.put(chat.chatId(), chat)).as("chat %s once", chat.chatId()).isNull();
			}
			assertThat(chats.keySet()).as("every chat created with a 2xx exists").containsAll(load.created);
			for (String chatId : load.closed) {
				assertThat(chats.get(chatId).isOpen()).as("closed chat %s", chatId).isFalse();
			}
			for (String chatId : load.created) {
				Chat chat = chats.get(chatId);
				if (!load.closed.contains(chatId)) {
					assertThat(chat.isOpen()).as("chat %s is open", chatId).isTrue();
					assertThat(chat.assignmentStatus()).as("chat %s is routed", chatId)
						.isIn(AssignmentStatus.ASSIGNED, AssignmentStatus.QUEUED);
				}
			}
			assertFifo(queuedBefore, queue(api, base), chats, load.closed);
			assertTheJobExecutorRuns(api, base, company, application, checker, store);
		}
	}

	/**
	 * The chats queued before the failure that are still queued are the last ones of that queue,
	 * in the same order: the queue kept every one of them and was only ever served from its head.
	 * The others were assigned (and maybe closed afterwards).
	 */
	private static void assertFifo(List<String> before, List<String> after, Map<String, Chat> chats,
			Set<String> closed) {
		Set<String> stillQueued = new HashSet<>(after);
		List<String> remaining = before.stream().filter(stillQueued::contains).toList();
		assertThat(remaining).as("queued before the failure and still queued")
			.isEqualTo(before.subList(before.size() - remaining.size(), before.size()));
		for (String chatId : before.subList(0, before.size() - remaining.size())) {
			Chat chat = chats.get(chatId);
			assertThat(chat).as("queued chat %s exists", chatId).isNotNull();
			assertThat(closed.contains(chatId) || chat.assignmentStatus() == AssignmentStatus.ASSIGNED)
				.as("queued chat %s left the queue to an agent (%s)", chatId, chat)
				.isTrue();
		}
		log.info("FIFO: {} chats queued before the failure, {} still queued in order, queue now {} long",
				before.size(), remaining.size(), after.size());
	}

	/**
	 * Raising the capacity sends the queue-dispatch process (an asynchronous job) through the
	 * queue: only a job executor that survived the failure fills the new slots.
	 */
	private static void assertTheJobExecutorRuns(Api api, String base, String company,
			ConfigurableApplicationContext application, InvariantChecker checker, ChatStore store) {
		HistoryService history = application.getBean(HistoryService.class);
		long dispatchesBefore = finishedDispatches(history, company);
		assertThat(queue(api, base)).as("queue before raising the capacity").hasSizeGreaterThanOrEqualTo(AGENTS);
		assertThat(api.patch(base + "/auto-assign", Map.of("maxChatsPerAgent", CAPACITY + 1)).status()).isEqualTo(200);
		await("the queue-dispatch job fills the new slots").atMost(RECOVERY)
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> {
				assertThat(finishedDispatches(history, company)).isGreaterThan(dispatchesBefore);
				assertThat(checker.check(company).violations()).isEmpty();
			});
		assertThat(store.loads(company)).as("chats per agent")
			.hasSize(AGENTS)
			.allSatisfy((agent, load) -> assertThat(load).isEqualTo(CAPACITY + 1));
	}

	private static long finishedDispatches(HistoryService history, String company) {
		return history.createHistoricProcessInstanceQuery()
			.processDefinitionKey(QueueDispatchProcess.KEY)
			.tenantIdIn(company)
			.finished()
			.count();
	}

	private static List<String> queue(Api api, String base) {
		Api.Response response = api.get(base + "/queue?limit=10000");
		if (response.status() != 200) {
			throw new IllegalStateException("GET queue answered " + response.status());
		}
		return response.body().findValuesAsText("chatId");
	}

}
