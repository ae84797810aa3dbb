package io.autoassign.assignment;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.events.AutoAssignEvent;
import io.autoassign.events.AutoAssignEvent.AgentChatsReassigned;
import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.events.AutoAssignEvent.ChatUnassigned;
import io.autoassign.events.UnassignReason;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.OfflineGraceProcess;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The windows where a chat could end over capacity, overtaken in the queue, stuck with an agent
 * who is gone or holding a slot that leaked, each forced deterministically: threads are held at
 * the service's pause points (between the Redis step, the commit and the work after the commit)
 * or a fault is injected at one, and the other party runs exactly then. Each of these failed on
 * the routing core before the fix of its window (the note says how that was shown). The
 * invariant checker runs after each.
 */
@IntegrationTest
class RoutingInterleavingsIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ChatStore chats;

	@Autowired
	RoutingState routing;

	@Autowired
	RoutingScripts scripts;

	@Autowired
	RoutingRebuilder rebuilder;

	@Autowired
	EventRecorder events;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	PausePoints pausePoints;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	CompanyLocks locks;

	@Autowired
	PlatformTransactionManager transactionManager;

	String company;

	Gates gates;

	ExecutorService threads;

	@BeforeEach
	void setUp() {
		this.company = Api.newCompany();
		this.gates = Gates.install(this.pausePoints);
		this.threads = Executors.newCachedThreadPool();
	}

	@AfterEach
	void consistent() throws InterruptedException {
		this.engine.resetClock();
		this.gates.close();
		this.threads.shutdown();
		assertThat(this.threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		assertThat(this.invariants.checkSettled(this.company, 10, Duration.ofMillis(500)).report().violations())
			.isEmpty();
	}

	/**
	 * Window 1. The offline reassignment moves c1 from a to b and commits; before it gives a's
	 * slot back, a close of c1 takes its Redis step (c1 leaves b) and then fails. The late
	 * give-back must free a's slot, not b's: otherwise a new chat takes b's "free" slot and the
	 * failed close's repair hands c1 back to b, so that b holds two chats at capacity one.
	 */
	@Test
	void aLateGiveBackFreesTheSlotItsOwnTransactionReleasedNotTheNextHoldersSlot() throws Exception {
		configure(Map.of("maxChatsPerAgent", 1, "offlineGracePeriodMinutes", 0));
		agent("a", "ACTIVE");
		agent("b", "OFFLINE");
		assertThat(create("c1").text("assignedAgentId")).isEqualTo("a");
		status("b", "ACTIVE");
		status("a", "OFFLINE");

		Gates.Gate giveBack = this.gates.at(Point.BEFORE_FINISH, this.company);
		Future<Integer> reassignment = this.threads.submit(() -> this.engine.runDueJobs(this.company));
		giveBack.awaitReached();
		assertThat(chat("c1").text("assignedAgentId")).isEqualTo("b");

		Gates.Gate closeStep = this.gates.at(Point.AFTER_ROUTING_STEP, this.company, "c1")
			.failing(1, () -> new IllegalStateException("injected: the close fails after its Redis step"));
		Future<Api.Response> close = this.threads.submit(() -> this.api.post(base() + "/chats/c1/close", null));
		closeStep.awaitReached();

		giveBack.open();
		reassignment.get(1, TimeUnit.MINUTES);
		// b's slot is still taken by c1 (its close has not committed): a new chat must wait
		assertThat(create("c3").text("assignmentStatus")).isEqualTo("QUEUED");

		closeStep.open();
		assertThat(close.get(1, TimeUnit.MINUTES).status()).isEqualTo(500);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.chats.loads(this.company)).containsOnly(Map.entry("b", 1));
			assertThat(this.routing.loads(this.company)).containsEntry("b", 1);
		});
		assertThat(chat("c1").text("assignedAgentId")).isEqualTo("b");
		assertThat(chat("c3").text("assignmentStatus")).isEqualTo("QUEUED");
	}

	/**
	 * Window 2. A close frees a's slot and commits; before the queue is dispatched, a new chat
	 * arrives. It must queue behind the chat that waited, which then gets a.
	 */
	@Test
	void aNewChatArrivingBetweenAFreedSlotAndTheDispatchQueuesBehindTheWaitingChat() throws Exception {
		configure(Map.of("maxChatsPerAgent", 1));
		agent("a", "ACTIVE");
		create("c1");
		assertThat(create("c2").body().get("queuePosition").intValue()).isEqualTo(1);

		Gates.Gate dispatch = this.gates.at(Point.BEFORE_DISPATCH, this.company);
		Future<Api.Response> close = this.threads.submit(() -> this.api.post(base() + "/chats/c1/close", null));
		dispatch.awaitReached();
		assertThat(this.routing.eligible(this.company, "*")).containsExactly("a");

		Api.Response c3 = create("c3");
		assertThat(c3.text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(c3.body().get("queuePosition").intValue()).isEqualTo(2);

		dispatch.open();
		assertThat(close.get(1, TimeUnit.MINUTES).status()).isEqualTo(200);
		assertThat(chat("c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.api.get(base() + "/queue").body().findValuesAsText("chatId")).containsExactly("c3");
		assertThat(this.events.of(this.company, ChatAssigned.class)).extracting(ChatAssigned::chatId)
			.containsExactly("c1", "c2");
	}

	/**
	 * Window 3. An assignment has reserved a in Redis but not committed when a goes OFFLINE with
	 * no grace period. The offline reassignment waits for it, so it finds the chat and routes it
	 * again; the chat never stays with an OFFLINE agent.
	 */
	@Test
	void anAgentGoingOfflineWhileAnAssignmentToItIsInFlightHasThatChatRoutedAgain() throws Exception {
		configure(Map.of("offlineGracePeriodMinutes", 0));
		agent("a", "ACTIVE");
		Gates.Gate reserved = this.gates.at(Point.AFTER_ROUTING_STEP, this.company, "c1");
		Future<Api.Response> creating = this.threads.submit(() -> create("c1"));
		reserved.awaitReached();
		assertThat(this.routing.holder(this.company, "c1")).contains("a");

		status("a", "OFFLINE");
		// the reassignment job falls due at once (no grace period), as the job executor would run it
		Future<Integer> reassignment = this.threads.submit(() -> this.engine.runDueJobs(this.company));
		await().atMost(Duration.ofSeconds(10)).until(() -> reassignment.isDone() || advisoryLockWaiters() > 0);
		reserved.open();
		assertThat(creating.get(1, TimeUnit.MINUTES).text("assignedAgentId")).isEqualTo("a");
		reassignment.get(1, TimeUnit.MINUTES);
		this.engine.runDueJobs(this.company);

		assertThat(chat("c1").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(this.events.of(this.company, ChatUnassigned.class))
			.containsExactly(unassigned("c1", "a", UnassignReason.AGENT_OFFLINE));
	}

	/**
	 * Window 4. A node releases c1's slot in Redis (a close) and dies before its commit. The
	 * close, tried again, settles what the dead node left (the row still says a) and releases
	 * the slot properly; the queue then gets it.
	 */
	@Test
	void aSlotReleasedByANodeThatDiedBeforeItsCommitIsGivenBackByTheRetriedClose() {
		configure(Map.of("maxChatsPerAgent", 1));
		agent("a", "ACTIVE");
		create("c1");
		create("q");
		Chat c1 = this.chats.find(this.company, "c1").orElseThrow();
		// exactly what the dead node did: the Redis step, no commit, no work after it
		this.scripts.release(this.company, "dead-node", "c1", RoutingScripts.Committed.of(c1));
		assertThat(this.routing.loads(this.company)).containsEntry("a", 1);

		assertThat(this.api.post(base() + "/chats/c1/close", null).text("status")).isEqualTo("CLOSED");
		assertThat(chat("q").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.routing.loads(this.company)).containsEntry("a", 1);
		assertThat(this.routing.snapshot(this.company).leaving()).isEmpty();
	}

	/**
	 * Window 5. The dispatch after a commit runs once the transaction's connection is back in
	 * the pool: with as many closes held just before their dispatch as the pool has connections,
	 * the service still answers, and every dispatch then succeeds.
	 */
	@Test
	void theDispatchAfterACommitHoldsNoConnectionSoAFullPoolOfThemNeverStarvesIt() throws Exception {
		int n = ((HikariDataSource) this.dataSource).getMaximumPoolSize();
		configure(Map.of("maxChatsPerAgent", 1));
		for (int i = 0; i < n; i++) {
			agent("a" + i, "ACTIVE");
			create("busy" + i);
		}
		for (int i = 0; i < n; i++) {
			assertThat(create("waiting" + i).text("assignmentStatus")).isEqualTo("QUEUED");
		}
		Gates.Gate dispatch = this.gates.at(Point.BEFORE_DISPATCH, this.company).holding(n);
		List<Future<Api.Response>> closes = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			String chat = "busy" + i;
			closes.add(this.threads.submit(() -> this.api.post(base() + "/chats/" + chat + "/close", null)));
		}
		dispatch.awaitReached();
		// n threads wait to dispatch, and hold none of the pool's n connections
		assertThat(this.api.get(base() + "/chats/waiting0").status()).isEqualTo(200);

		dispatch.open();
		for (Future<Api.Response> close : closes) {
			assertThat(close.get(1, TimeUnit.MINUTES).status()).isEqualTo(200);
		}
		assertThat(this.api.get(base() + "/queue").body()).isEmpty();
		assertThat(this.chats.loads(this.company)).hasSize(n).allSatisfy((agent, load) -> assertThat(load).isEqualTo(1));
	}

	/** Window 5. A dispatch that fails (the pool was dry) is not lost: the watchdog runs it again. */
	@Test
	void aDispatchThatFailsIsRetriedUntilTheWaitingChatHasItsAgent() {
		configure(Map.of("maxChatsPerAgent", 1));
		agent("a", "ACTIVE");
		create("c1");
		create("q");
		this.gates.at(Point.BEFORE_DISPATCH, this.company)
			.passing()
			.failing(1, () -> new CannotGetJdbcConnectionException("injected: the connection pool is dry"));

		assertThat(this.api.post(base() + "/chats/c1/close", null).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(chat("q").text("assignedAgentId")).isEqualTo("a"));
	}

	/** Window 6. An AGENT promoted to ADMIN gives up its chats at once: they are routed again. */
	@Test
	void anAgentPromotedToAdminHasItsChatsRoutedAgain() {
		agent("a", "ACTIVE");
		create("c1");
		agent("b", "ACTIVE");

		assertThat(this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "ADMIN")).status()).isEqualTo(200);

		assertThat(chat("c1").text("assignedAgentId")).isEqualTo("b");
		assertThat(this.events.of(this.company, ChatUnassigned.class))
			.containsExactly(unassigned("c1", "a", UnassignReason.ROLE_CHANGED));
		assertThat(this.events.of(this.company, AgentChatsReassigned.class)).singleElement()
			.satisfies((e) -> assertThat(e.reassigned()).containsExactly(new AgentChatsReassigned.Reassigned("c1", "b")));
	}

	/** Window 6. Promoted while OFFLINE within its grace period: rerouted now, the grace period ends. */
	@Test
	void anOfflineAgentPromotedDuringItsGracePeriodHasItsChatsRoutedAtOnce() {
		configure(Map.of("offlineGracePeriodMinutes", 30));
		agent("a", "ACTIVE");
		create("c1");
		status("a", "OFFLINE");
		assertThat(graceProcesses()).isEqualTo(1);

		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "ADMIN"));

		assertThat(chat("c1").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(graceProcesses()).isZero();
		assertThat(this.events.of(this.company, ChatUnassigned.class))
			.containsExactly(unassigned("c1", "a", UnassignReason.ROLE_CHANGED));
	}

	/**
	 * Window 7. After Redis comes back empty, every transaction in flight finds the company's
	 * state missing; held until all of them have, they race to rebuild, and it is rebuilt once.
	 */
	@Test
	void aCompanyIsRebuiltOnceAfterRedisLostItWhateverTheTransactionsThatFoundItMissing() throws Exception {
		agent("a", "ACTIVE");
		int n = 4;
		for (int i = 0; i < n; i++) {
			create("c" + i);
		}
		int before = this.rebuilder.rebuildCount(this.company);
		Gates.Gate rebuild = this.gates.at(Point.BEFORE_REBUILD, this.company).holding(n);
		flushRedis();
		List<Future<Api.Response>> closes = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			String chat = "c" + i;
			closes.add(this.threads.submit(() -> this.api.post(base() + "/chats/" + chat + "/close", null)));
		}
		rebuild.awaitReached();
		rebuild.open();
		for (Future<Api.Response> close : closes) {
			assertThat(close.get(1, TimeUnit.MINUTES).text("status")).isEqualTo("CLOSED");
		}
		assertThat(this.rebuilder.rebuildCount(this.company) - before).isEqualTo(1);
	}

	/**
	 * Window 7. No wait for a company's lock is unbounded: while a rebuild (here: a test holding
	 * the lock exclusively) takes long, requests are answered 503 with Retry-After.
	 */
	@Test
	void aRequestThatCannotHaveItsCompanysLockInTimeIsAnswered503() throws Exception {
		agent("a", "ACTIVE");
		create("c1");
		java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
		Future<?> holder = this.threads.submit(() -> new TransactionTemplate(this.transactionManager)
			.executeWithoutResult((status) -> {
				this.locks.exclusive(this.company);
				held.countDown();
				try {
					done.await(1, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		held.await(1, TimeUnit.MINUTES);

		Api.Response response = this.api.post(base() + "/chats/c1/close", null);
		done.countDown();
		holder.get(1, TimeUnit.MINUTES);

		assertThat(response.status()).isEqualTo(503);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.raw().headers().firstValue("Retry-After")).isPresent();
		assertThat(response.body().get("detail").asText()).contains("busy");
		assertThat(chat("c1").text("status")).isEqualTo("OPEN");
		assertThat(this.api.post(base() + "/chats/c1/close", null).text("status")).isEqualTo("CLOSED");
	}

	/**
	 * Window 8. The engine's own writes deadlock with another transaction: the close holds c1's
	 * row (as every change of a chat does) and the engine's flush of its process waits for the
	 * process's rows, which another transaction holds while it waits for c1's row. PostgreSQL
	 * breaks the cycle by aborting the close (it waited first; the other side checks for
	 * deadlocks only after a minute). That is a lost race like an optimistic-lock failure: the
	 * close runs again and answers 200. Before the fix the engine's wrapped deadlock was not
	 * recognized and the close answered 500 (the failure seen in CI under load).
	 */
	@Test
	void aDeadlockInTheEnginesOwnWritesIsALostRaceAndTheCloseRunsAgain() throws Exception {
		agent("a", "ACTIVE");
		assertThat(create("c1").text("assignedAgentId")).isEqualTo("a");
		String processInstanceId = this.chats.find(this.company, "c1").orElseThrow().processInstanceId();
		Future<Api.Response> close;
		try (Connection other = this.dataSource.getConnection()) {
			other.setAutoCommit(false);
			int otherPid = single(other, "select pg_backend_pid()");
			update(other, "set local deadlock_timeout = '1min'");
			single(other, "select count(*) from (select 1 from act_ru_execution where proc_inst_id_ = ? for update) x",
					processInstanceId);
			close = this.threads.submit(() -> this.api.post(base() + "/chats/c1/close", null));
			// the close holds c1's row and its engine flush waits for the rows held here
			await().atMost(Duration.ofMinutes(1))
				.until(() -> this.jdbc.queryForObject(
						"select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))", Long.class,
						otherPid) > 0);
			// now this transaction waits for c1's row: the cycle, which the close's side breaks
			single(other, "select count(*) from (select 1 from aa_chat where company_id = ? and chat_id = ? for update) x",
					this.company, "c1");
			other.commit();
		}
		Api.Response closed = close.get(1, TimeUnit.MINUTES);
		assertThat(closed.status()).as(closed.raw().body()).isEqualTo(200);
		assertThat(closed.text("status")).isEqualTo("CLOSED");
		assertThat(this.engine.runtime().createProcessInstanceQuery().processInstanceId(processInstanceId).count())
			.isZero();
	}

	/**
	 * Window 9. Redis empties again while a watchdog round rebuilds every company after an earlier
	 * loss: the round is held just before it rebuilds a company that sorts after this one (so this
	 * one is rebuilt already), and Redis is emptied again there. Once the round ends, the watchdog
	 * must notice and rebuild this company again without waiting for an operation on it. Before
	 * the fix the round marked Redis as built at its end, after the second loss, and no watchdog
	 * looked again (this test timed out with an empty queue; a CI run failed so on
	 * RoutingDurabilityIntegrationTests when a test's flush fell into an earlier test's round).
	 * <p>
	 * The test runs the round itself, as the watchdog that took the rebuild lock would, and holds
	 * that lock meanwhile (each loss empties Redis and sets the lock in one script), so that no
	 * watchdog of any application in this JVM runs a round of its own in between; it lets them go
	 * once the round is over.
	 */
	@Test
	void redisEmptiedAgainWhileTheWatchdogRebuildsIsRebuiltAgain() throws Exception {
		configure(Map.of("maxChatsPerAgent", 1));
		agent("a", "ACTIVE");
		create("c1");
		create("c2");
		String later = this.company + "-z";
		assertThat(this.api.put("/api/v1/companies/" + later + "/agents/b", Map.of("name", "b", "role", "AGENT"))
			.status()).isEqualTo(201);
		Gates.Gate held = this.gates.at(Point.BEFORE_REBUILD, later);

		flushRedisHoldingTheRebuildLock();
		Future<?> round = this.threads.submit(() -> this.rebuilder.rebuildAll(true));
		held.awaitReached();
		assertThat(this.routing.queue(this.company)).as("rebuilt in the held round").containsExactly("c2");
		flushRedisHoldingTheRebuildLock();
		held.open();
		round.get(1, TimeUnit.MINUTES);
		this.redis.delete(RoutingKeys.REBUILD_LOCK);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.routing.queue(this.company)).containsExactly("c2"));
		assertThat(this.routing.holder(this.company, "c1")).contains("a");
	}

	/**
	 * Empties Redis and takes the watchdogs' rebuild lock, in one atomic step. On a Redis Cluster
	 * that step empties the lock's master; the other masters are emptied after it, while the lock
	 * already keeps every watchdog out.
	 */
	private void flushRedisHoldingTheRebuildLock() {
		Long done = this.redis.execute(new DefaultRedisScript<>(
				"redis.call('FLUSHDB'); redis.call('SET', KEYS[1], ARGV[1]); return 1", Long.class),
				List.of(RoutingKeys.REBUILD_LOCK), "test");
		assertThat(done).isEqualTo(1L);
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				RedisClusterNode lockMaster = cluster
					.clusterGetNodeForKey(RoutingKeys.REBUILD_LOCK.getBytes(StandardCharsets.UTF_8));
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && !node.getId().equals(lockMaster.getId())) {
						cluster.serverCommands().flushDb(node);
					}
				}
			}
			return null;
		});
	}

	private void flushRedis() {
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushDb();
			return null;
		});
	}

	private static int single(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private static void update(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * The queue's order is the order of the atomic queue step, and so is {@code queuedAt}: q1 takes
	 * its place first but its transaction is held after the Redis step while q2 is queued and
	 * commits. q1 stays first, and its {@code queuedAt} must not read later than q2's (before the
	 * fix it was the wall time at the row update, after the Redis step).
	 */
	@Test
	void queuedAtReadsInTheQueuesOrderWhenTheFirstQueuedCommitsLast() throws Exception {
		agent("a", "OFFLINE");
		// q1's first step looks for an agent (nobody), its second queues it: held after that one
		Gates.Gate queuedStep = this.gates.at(Point.AFTER_ROUTING_STEP, this.company, "q1").skipping(1);
		Future<Api.Response> first = this.threads.submit(() -> create("q1"));
		queuedStep.awaitReached();
		assertThat(this.routing.queue(this.company)).containsExactly("q1");

		create("q2");
		this.engine.advance(Duration.ofSeconds(1)); // the held transaction resumes visibly later
		queuedStep.open();
		assertThat(first.get(1, TimeUnit.MINUTES).text("assignmentStatus")).isEqualTo("QUEUED");

		JsonNode queue = this.api.get(base() + "/queue").body();
		assertThat(queue.findValuesAsText("chatId")).containsExactly("q1", "q2");
		Instant q1 = Instant.parse(queue.get(0).path("queuedAt").asText());
		Instant q2 = Instant.parse(queue.get(1).path("queuedAt").asText());
		assertThat(q1).isBefore(q2);
	}

	// ---- helpers

	private long advisoryLockWaiters() {
		Long waiting = this.jdbc.queryForObject(
				"select count(*) from pg_locks where locktype = 'advisory' and not granted", Long.class);
		return waiting == null ? 0 : waiting;
	}

	private long graceProcesses() {
		return this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(OfflineGraceProcess.KEY)
			.tenantIdIn(this.company)
			.count();
	}

	private ChatUnassigned unassigned(String chatId, String agentId, UnassignReason reason) {
		return this.events.of(this.company, ChatUnassigned.class)
			.stream()
			.filter((e) -> e.chatId().equals(chatId) && e.agentId().equals(agentId) && e.reason() == reason)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No CHAT_UNASSIGNED of " + chatId + " from " + agentId + " ("
					+ reason + ") in " + this.events.of(this.company).stream().map((r) -> describe(r.event())).toList()));
	}

	private static String describe(AutoAssignEvent event) {
		return event.getClass().getSimpleName() + (event instanceof ChatUnassigned u ? " " + u.chatId() + " " + u.reason()
				: "");
	}

	private void configure(Map<String, Object> config) {
		assertThat(this.api.patch(base() + "/auto-assign", config).status()).isEqualTo(200);
	}

	private void agent(String id, String status) {
		this.api.put(base() + "/agents/" + id, Map.of("name", id, "role", "AGENT"));
		status(id, status);
	}

	private Api.Response status(String id, String status) {
		Api.Response response = this.api.put(base() + "/agents/" + id + "/status", Map.of("status", status));
		assertThat(response.status()).isEqualTo(200);
		return response;
	}

	private Api.Response create(String chatId) {
		Api.Response response = this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m")));
		assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
		return response;
	}

	private Api.Response chat(String chatId) {
		return this.api.get(base() + "/chats/" + chatId);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
