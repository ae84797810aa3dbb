package io.autoassign.assignment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.events.AutoAssignEvent;
import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.events.AutoAssignEvent.ChatUnassigned;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.ServerErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Concurrency is the normal case: many chats at once, of mixed priorities, agents changing
 * status and role under them, an admin taking chats over, changing priorities and closing chats,
 * offline reassignments (no grace period) running as jobs, all at the same time. Two samplers
 * watch throughout: one reads the committed loads in PostgreSQL (and Redis's) and records the
 * highest each agent ever had; the other takes atomic snapshots of the Redis routing state, in
 * which every routing decision is one step, and checks each pair of consecutive snapshots for a
 * chat that got an agent while a chat ranked ahead of it in its pool (a higher priority, or the
 * same and older) waited with an unchanged rank: overtaking or a priority inversion (the event
 * stream cannot tell: events leave after commits, whose order is not the order of the
 * decisions).
 */
@IntegrationTest
class RoutingConcurrencyIntegrationTests {

	static final int CHATS = 2000;

	static final int THREADS = 16;

	static final int CAPACITY = 3;

	static final int AGENTS = 12;

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ChatStore chats;

	@Autowired
	RoutingState router;

	@Autowired
	EventRecorder events;

	@Autowired
	InvariantChecker invariants;

	/** Why a request failed with a 500, for the failure message. */
	private ServerErrors serverErrors;

	@BeforeEach
	void recordServerErrors() {
		this.serverErrors = ServerErrors.record();
	}

	@AfterEach
	void stopRecordingServerErrorsAndResetTheClock() {
		this.serverErrors.close();
		this.engine.resetClock();
	}

	@Test
	void twoThousandChatsFromSixteenThreadsWhileAgentsFlipAndAnAdminTakesOver() throws Exception {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		// a third of the chats prefer one of two agents (whose role never changes) and wait up to 2 s for them
		this.api.patch(base + "/auto-assign", Map.of("maxChatsPerAgent", CAPACITY, "offlineGracePeriodMinutes", 0,
				"preferredAgentWaitSeconds", 2));
		this.api.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		List<String> agents = new ArrayList<>();
		List<String> preferred = List.of("a00", "a01");
		for (int i = 0; i < AGENTS; i++) {
			String agent = String.format("a%02d", i);
			agents.add(agent);
			this.api.put(base + "/agents/" + agent,
					Map.of("name", agent, "role", "AGENT", "groupIds", List.of(i % 2 == 0 ? "even" : "odd")));
			this.api.put(base + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
		}

		List<String> created = new CopyOnWriteArrayList<>();
		List<String> failures = new CopyOnWriteArrayList<>();
		Map<String, Integer> maxLoadSeen = new ConcurrentHashMap<>();
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger flips = new AtomicInteger();
		AtomicInteger takeovers = new AtomicInteger();
		AtomicInteger closes = new AtomicInteger();
		AtomicInteger samples = new AtomicInteger();

		ExecutorService background = Executors.newFixedThreadPool(6);
		AtomicInteger roleChanges = new AtomicInteger();
		AtomicInteger priorityChanges = new AtomicInteger();
		String[] priorities = { "LOW", "NORMAL", "HIGH", "URGENT" };
		// which chats' priorities are being changed, and when each change last answered: a chat whose
		// rank changed between two snapshots is not judged by its older rank
		Set<String> reprioritizing = ConcurrentHashMap.newKeySet();
		Map<String, Long> reprioritizedAt = new ConcurrentHashMap<>();
		// chats arrive with mixed priorities, and an admin changes some while they wait or are held
		background.submit(() -> {
			while (!done.get()) {
				String chat = anyOf(created);
				if (chat == null) {
					continue;
				}
				reprioritizing.add(chat);
				Api.Response response = this.api.put(base + "/chats/" + chat + "/priority",
						Map.of("priority", priorities[ThreadLocalRandom.current().nextInt(priorities.length)]));
				reprioritizedAt.put(chat, System.nanoTime());
				reprioritizing.remove(chat);
				// 409: the chat was closed meanwhile
				if (response.status() != 200 && response.status() != 409) {
					failures.add("priority " + response.status() + " " + response.raw().body());
				}
				priorityChanges.incrementAndGet();
			}
			return null;
		});
		// agents flip between ACTIVE, INACTIVE and OFFLINE, and now and then are promoted to ADMIN
		// and back
		background.submit(() -> {
			String[] statuses = { "ACTIVE", "ACTIVE", "INACTIVE", "OFFLINE" };
			Map<String, String> roles = new HashMap<>();
			while (!done.get()) {
				int i = ThreadLocalRandom.current().nextInt(agents.size());
				String agent = agents.get(i);
				if (ThreadLocalRandom.current().nextInt(8) == 0 && !preferred.contains(agent)) {
					String role = "ADMIN".equals(roles.get(agent)) ? "AGENT" : "ADMIN";
					roles.put(agent, role);
					expect(failures, "role", this.api.put(base + "/agents/" + agent,
							Map.of("name", agent, "role", role, "groupIds", List.of(i % 2 == 0 ? "even" : "odd"))), 200);
					roleChanges.incrementAndGet();
					continue;
				}
				String status = statuses[ThreadLocalRandom.current().nextInt(statuses.length)];
				expect(failures, "status", this.api.put(base + "/agents/" + agent + "/status", Map.of("status", status)), 200);
				flips.incrementAndGet();
			}
			return null;
		});
		// an admin takes chats over, and the platform closes some
		background.submit(() -> {
			while (!done.get()) {
				String chat = anyOf(created);
				if (chat == null) {
					continue;
				}
				if (ThreadLocalRandom.current().nextInt(3) == 0) {
					expect(failures, "close", this.api.post(base + "/chats/" + chat + "/close", null), 200);
					closes.incrementAndGet();
				}
				else {
					Api.Response response = this.api.post(base + "/chats/" + chat + "/takeover", Map.of("adminId", "boss"));
					// 409: the chat was closed meanwhile
					if (response.status() != 200 && response.status() != 409) {
						failures.add("takeover " + response.status() + " " + response.raw().body());
					}
					takeovers.incrementAndGet();
				}
			}
			return null;
		});
		// the offline reassignments (grace 0) run as jobs meanwhile
		background.submit(runningJobs(company, done, Duration.ZERO, new AtomicInteger()));
		// no chat ever gets an agent while a chat ranked ahead of it (a higher priority, or the same
		// and older) that agent could serve waits with the same rank (every chat of this test routes
		// in the pool of all agents): no overtaking, no priority inversion
		List<String> overtakes = new CopyOnWriteArrayList<>();
		AtomicInteger snapshots = new AtomicInteger();
		AtomicInteger decisionsSeen = new AtomicInteger();
		background.submit(() -> {
			long previousTaken = System.nanoTime();
			RoutingState.Snapshot previous = this.router.snapshot(company);
			while (!done.get()) {
				long taken = System.nanoTime();
				RoutingState.Snapshot next = this.router.snapshot(company);
				long since = previousTaken;
				decisionsSeen.addAndGet(overtakes(previous, next, overtakes, (chat) -> reprioritizing.contains(chat)
						|| reprioritizedAt.getOrDefault(chat, Long.MIN_VALUE) >= since));
				previous = next;
				previousTaken = taken;
				snapshots.incrementAndGet();
			}
			return null;
		});
		// no agent is ever above capacity, in the database or in Redis
		background.submit(samplingLoads(company, done, maxLoadSeen, samples));

		ExecutorService creators = Executors.newFixedThreadPool(THREADS);
		List<Future<?>> creating = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int thread = t;
			creating.add(creators.submit(() -> {
				for (int i = 0; i < CHATS / THREADS; i++) {
					String chatId = "t" + thread + "-" + i;
					Map<String, Object> chat = new HashMap<>(Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId),
							"priority", priorities[i % priorities.length]));
					if (i % 3 == 1) {
						chat.put("preferredAgentId", preferred.get(i % 2));
					}
					expect(failures, "create", this.api.post(base + "/chats", chat), 201);
					created.add(chatId);
				}
			}));
		}
		long started = System.nanoTime();
		for (Future<?> future : creating) {
			future.get(10, TimeUnit.MINUTES);
		}
		done.set(true);
		System.out.printf(
				"%d chats in %d ms with %d status flips, %d role changes, %d takeovers, %d closes, %d priority changes, "
						+ "%d load samples, %d Redis snapshots showing %d assignments%n",
				CHATS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), flips.get(), roleChanges.get(),
				takeovers.get(), closes.get(), priorityChanges.get(), samples.get(), snapshots.get(),
				decisionsSeen.get());
		creators.shutdown();
		background.shutdown();
		assertThat(background.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

		// let the last reassignment jobs (some retried after a lost race) finish, and the last waits
		// for a preferred agent run out
		drainJobs(company);
		this.engine.advance(Duration.ofMinutes(1));
		drainJobs(company);

		assertThat(failures).as(this.serverErrors::describe).isEmpty();
		assertThat(created).hasSize(CHATS);
		assertThat(flips.get()).as("status flips").isGreaterThan(20);
		assertThat(takeovers.get() + closes.get()).as("takeovers and closes").isGreaterThan(20);
		assertThat(roleChanges.get()).as("role changes").isGreaterThan(2);
		assertThat(priorityChanges.get()).as("priority changes").isGreaterThan(20);
		assertThat(samples.get()).isGreaterThan(10);
		assertThat(decisionsSeen.get()).as("assignments seen between snapshots").isGreaterThan(50);
		assertThat(overtakes).isEmpty();
		assertThat(maxLoadSeen).isNotEmpty().allSatisfy((agent, load) -> assertThat(load).as(agent).isLessThanOrEqualTo(CAPACITY));

		InvariantChecker.Report report = this.invariants.check(company);
		assertThat(report.violations()).isEmpty();
		assertThat(report.openChats() + report.closedChats()).isEqualTo(CHATS);
		List<Chat> all = this.chats.all(company);
		assertThat(all).allSatisfy((chat) -> assertThat(chat.isOpen() ? chat.assignmentStatus().name() : "CLOSED")
			.isIn("ASSIGNED", "QUEUED", "TAKEN_OVER", "CLOSED"));
		assertNoChatAssignedTwice(company, agents);
		// preferences were at work: chats waited for their preferred agents (with a queue this long a
		// preference never takes a slot before the queue, so most of them then went by the strategy)
		assertThat(all.stream().filter((chat) -> chat.preference() != null).count()).as("chats with a preference")
			.isGreaterThan(CHATS / 4);
		assertThat(this.engine.processEngine()
			.getHistoryService()
			.createHistoricActivityInstanceQuery()
			.activityId(ChatLifecycleProcess.Element.Task_WaitPreferred.name())
			.tenantIdIn(company)
			.count()).as("waits for a preferred agent").isGreaterThan(10);
	}

	/**
	 * No-reply reassignments under load: members wait a minute of the service's clock (which moves
	 * 15 s before each round of jobs) while chats are created from eight threads (fewer than the
	 * agents' capacity, so that most can be passed on rather than wait behind a queue), agents flip
	 * status, members and agents write, and the platform closes chats; the no-reply checks pass
	 * chats on as jobs meanwhile. No agent is ever above capacity, no chat has two agents, every
	 * chat is accounted for and the invariant checker finds nothing.
	 */
	@Test
	void noReplyReassignmentsWhileChatsArriveAgentsFlipAndMessagesFly() throws Exception {
		int chatsToCreate = 120;
		int threads = 8;
		int capacity = 20;
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.patch(base + "/auto-assign", Map.of("maxChatsPerAgent", capacity, "offlineGracePeriodMinutes", 0,
				"noReplyReassignEnabled", true, "noReplyMinutes", 1, "maxNoReplyReassignments", 3));
		List<String> agents = new ArrayList<>();
		for (int i = 0; i < AGENTS; i++) {
			String agent = String.format("a%02d", i);
			agents.add(agent);
			this.api.put(base + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
			this.api.put(base + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
		}
		List<String> created = new CopyOnWriteArrayList<>();
		List<String> failures = new CopyOnWriteArrayList<>();
		Map<String, Integer> maxLoadSeen = new ConcurrentHashMap<>();
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger rounds = new AtomicInteger();
		AtomicInteger messages = new AtomicInteger();
		ExecutorService background = Executors.newFixedThreadPool(4);
		// agents now and then step away and come back
		background.submit(() -> {
			String[] statuses = { "ACTIVE", "ACTIVE", "ACTIVE", "INACTIVE", "OFFLINE" };
			while (!done.get()) {
				String agent = agents.get(ThreadLocalRandom.current().nextInt(agents.size()));
				String status = statuses[ThreadLocalRandom.current().nextInt(statuses.length)];
				expect(failures, "status", this.api.put(base + "/agents/" + agent + "/status", Map.of("status", status)), 200);
			}
			return null;
		});
		// members and agents write; the platform closes a chat now and then
		background.submit(() -> {
			while (!done.get()) {
				String chat = anyOf(created);
				if (chat == null) {
					continue;
				}
				int pick = ThreadLocalRandom.current().nextInt(10);
				if (pick == 0) {
					expect(failures, "close", this.api.post(base + "/chats/" + chat + "/close", null), 200);
					continue;
				}
				Api.Response response = this.api.post(base + "/chats/" + chat + "/messages",
						Map.of("sender", pick < 6 ? "MEMBER" : "AGENT", "text", "t"));
				// 409: closed meanwhile
				if (response.status() != 202 && response.status() != 409) {
					failures.add("message " + response.status() + " " + response.raw().body());
				}
				messages.incrementAndGet();
			}
			return null;
		});
		// the clock moves on; the due jobs (no-reply checks, offline reassignments) run
		background.submit(runningJobs(company, done, Duration.ofSeconds(15), rounds));
		background.submit(samplingLoads(company, done, maxLoadSeen, new AtomicInteger()));
		ExecutorService creators = Executors.newFixedThreadPool(threads);
		List<Future<?>> creating = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			creating.add(creators.submit(() -> {
				for (int i = 0; i < chatsToCreate / threads; i++) {
					String chatId = "n" + thread + "-" + i;
					expect(failures, "create", this.api.post(base + "/chats",
							Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId), "message", "Hi")), 201);
					created.add(chatId);
				}
			}));
		}
		for (Future<?> future : creating) {
			future.get(10, TimeUnit.MINUTES);
		}
		// the members of what is open go on waiting through a few more rounds of the clock
		int after = rounds.get();
		await().atMost(Duration.ofMinutes(2)).until(() -> rounds.get() >= after + 12);
		done.set(true);
		creators.shutdown();
		background.shutdown();
		assertThat(background.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
		drainJobs(company);

		long noReply = this.events.of(company)
			.stream()
			.filter((recorded) -> recorded.event() instanceof ChatUnassigned unassigned
					&& unassigned.reason() == io.autoassign.events.UnassignReason.NO_REPLY)
			.count();
		System.out.printf("%d chats, %d messages, %d rounds of jobs, %d no-reply reassignments%n", chatsToCreate,
				messages.get(), rounds.get(), noReply);
		assertThat(failures).as(this.serverErrors::describe).isEmpty();
		assertThat(created).hasSize(chatsToCreate);
		assertThat(noReply).as("no-reply reassignments").isGreaterThan(20);
		assertThat(maxLoadSeen).isNotEmpty().allSatisfy((agent, load) -> assertThat(load).as(agent).isLessThanOrEqualTo(capacity));
		InvariantChecker.Report report = this.invariants.check(company);
		assertThat(report.violations()).isEmpty();
		assertThat(report.openChats() + report.closedChats()).isEqualTo(chatsToCreate);
		assertNoChatAssignedTwice(company, agents);
		assertThat(this.engine.runtime().createIncidentQuery().tenantIdIn(company).count()).isZero();
	}

	/**
	 * Runs the company's due jobs over and over until {@code done}, the service's clock moved
	 * {@code clockStep} on before each round (counted in {@code rounds}).
	 */
	private Callable<Void> runningJobs(String company, AtomicBoolean done, Duration clockStep, AtomicInteger rounds) {
		return () -> {
			while (!done.get()) {
				try {
					if (!clockStep.isZero()) {
						this.engine.advance(clockStep);
					}
					this.engine.runDueJobs(company);
					rounds.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// a job that lost a race is retried; failing for good shows as an incident
				}
			}
			return null;
		};
	}

	/** Records, until {@code done}, the highest load each agent ever had in the database and in Redis. */
	private Callable<Void> samplingLoads(String company, AtomicBoolean done, Map<String, Integer> maxLoadSeen,
			AtomicInteger samples) {
		return () -> {
			while (!done.get()) {
				this.chats.loads(company).forEach((agent, load) -> maxLoadSeen.merge("db:" + agent, load, Math::max));
				this.router.loads(company).forEach((agent, load) -> maxLoadSeen.merge("redis:" + agent, load, Math::max));
				samples.incrementAndGet();
			}
			return null;
		};
	}

	/** Runs the company's jobs until none is due (what remains are timers due later). */
	private void drainJobs(String company) {
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				this.engine.runDueJobs(company);
			}
			catch (RuntimeException ex) {
				return false;
			}
			return this.engine.management().createJobQuery().tenantIdIn(company).messages().count() == 0
					&& this.engine.management().createJobQuery().tenantIdIn(company).executable().count() == 0;
		});
	}

	/**
	 * Per chat, every CHAT_ASSIGNED to an agent is matched by a CHAT_UNASSIGNED from it before the
	 * next one: a chat never has two agents.
	 */
	private void assertNoChatAssignedTwice(String company, List<String> agents) {
		Map<String, Integer> balance = new HashMap<>();
		for (EventRecorder.Recorded recorded : this.events.of(company)) {
			AutoAssignEvent event = recorded.event();
			if (event instanceof ChatAssigned assigned) {
				balance.merge(assigned.chatId(), 1, Integer::sum);
			}
			else if (event instanceof ChatUnassigned unassigned && agents.contains(unassigned.agentId())) {
				balance.merge(unassigned.chatId(), -1, Integer::sum);
			}
		}
		for (Chat chat : this.chats.all(company)) {
			int expected = chat.isAssigned() ? 1 : 0;
			assertThat(balance.getOrDefault(chat.chatId(), 0)).as("assignments minus unassignments of " + chat.chatId())
				.isEqualTo(expected);
		}
	}

	/**
	 * The chats that got an agent between two atomic snapshots of the routing state (X now held
	 * by A, not before, and not going back to A after a rolled-back release of X) while a chat Y
	 * waited in the queue throughout (in both snapshots, at the same queue sequence, holding no
	 * agent in either) that was older than X (any queued chat, unless X itself was queued behind
	 * Y). Adds what it finds to
	 * {@code overtakes}; returns how many such assignments the pair shows.
	 */
	private static int overtakes(RoutingState.Snapshot before, RoutingState.Snapshot after, List<String> overtakes,
			java.util.function.Predicate<String> rankChanged) {
		int assignments = 0;
		for (Map.Entry<String, String> held : after.ledger().entrySet()) {
			String chat = held.getKey();
			String agent = held.getValue();
			if (agent.equals(before.ledger().get(chat)) || agent.equals(before.leaving().get(chat))) {
				continue;
			}
			assignments++;
			if (rankChanged.test(chat)) {
				// its rank at the decision may differ from the one the earlier snapshot shows
				continue;
			}
			Long ownSeq = before.queue().get(chat);
			for (Map.Entry<String, Long> waiting : before.queue().entrySet()) {
				String other = waiting.getKey();
				// (a queued chat that also holds an agent is being taken out of the queue: not waiting)
				if (!other.equals(chat) && waiting.getValue().equals(after.queue().get(other)) && !rankChanged.test(other)
						&& !before.ledger().containsKey(other) && !after.ledger().containsKey(other)
						&& (ownSeq == null || waiting.getValue() < ownSeq)) {
					overtakes.add(chat + " went to " + agent + " while " + other + " (queued " + waiting.getValue()
							+ ") waited" + (ownSeq == null ? "" : " ahead of it (" + ownSeq + ")"));
					break;
				}
			}
		}
		return assignments;
	}

	/** A chat picked at random among those created so far; {@code null} before the first. */
	private static String anyOf(List<String> created) {
		return created.isEmpty() ? null : created.get(ThreadLocalRandom.current().nextInt(created.size()));
	}

	private static void expect(List<String> failures, String what, Api.Response response, int status) {
		if (response.status() != status) {
			failures.add(what + " " + response.status() + " " + response.raw().body());
		}
	}

}
