package io.autoassign.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.bench.AgentSessions;
import io.autoassign.bench.AppNode;
import io.autoassign.bench.ServiceClient;
import io.autoassign.bench.WebhookSink;
import io.autoassign.invariants.InvariantChecker.Report;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.lifecycle.ChatLifecycleProcess.Element;

import org.springframework.messaging.simp.stomp.StompSession;

/**
 * Issue 7, item 4: {@code bash reliability/run.sh failover [--short]}. Two nodes of the packaged
 * service (separate JVMs, job executor on in both) share one PostgreSQL database and one Redis
 * database; half of the agents' and admins' STOMP clients are connected to each, and the
 * platform spreads its requests over both (retrying on the other node when one does not answer).
 * Under load, timers are set up to fall due after the kill: two agents holding chats go OFFLINE
 * (grace period one minute), chats wait for their Auto-Menu selection (timeout one minute), and
 * 40 chats are made inactive (their last activity moved 31 minutes back, since the shortest
 * threshold the configuration allows is 30 minutes). The inactivity checks then fall due while
 * this run holds those chats' rows, so the job executor that took them waits inside them with
 * the job locks held; that node gets a real SIGKILL ({@link Process#destroyForcibly()}). The
 * survivor must fire every timer, run the dead node's jobs once their lock (15 s in this run
 * instead of Camunda's 5 minutes) expired, leave no chat pending and no job overdue, pass the
 * invariant checker, and give the clients that reconnect to it a CHAT_ASSIGNMENT_SYNC of the
 * current state. The short run makes the grace and menu timers due right after the kill instead
 * of waiting their minute.
 */
public final class FailoverRun {

	private static final String LOCK_TIME_MILLIS = "15000";

	/** Names a node's database connections (pg_stat_activity.application_name) after the node. */
	private static final String APPLICATION_NAME = "spring.datasource.hikari.data-source-properties.ApplicationName";

	private FailoverRun() {
	}

	public static void main(String[] args) {
		boolean quick = Arrays.asList(args).contains("--short");
		System.exit(run(quick));
	}

	static int run(boolean quick) {
		Verdict verdict = new Verdict();
		Workload.Shape shape = quick
				? new Workload.Shape(300, Duration.ofSeconds(30), 16, 0.6, 0.05, 2, 1.0, Duration.ofSeconds(2),
						Duration.ofSeconds(12), Duration.ofSeconds(1), 11)
				: new Workload.Shape(2_400, Duration.ofMinutes(4), 24, 0.6, 0.05, 2, 0.5, Duration.ofSeconds(2),
						Duration.ofSeconds(30), Duration.ofMillis(700), 11);
		Duration killAt = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
		String company = "failover-" + System.currentTimeMillis();
		List<String> agents = IntStream.range(0, 10).mapToObj((i) -> "agent-" + i).toList();
		List<String> admins = List.of("admin-0", "admin-1");
		int redisDb = Ports.redisDb();
		verdict.log("failover run (" + (quick ? "short" : "full") + "): " + shape.chats() + " chats over "
				+ shape.duration().toSeconds() + " s, a node killed at " + killAt.toSeconds() + " s, Redis db " + redisDb
				+ ", job lock time " + LOCK_TIME_MILLIS + " ms");
		AppNode.Options options = AppNode.Options.defaults()
			.with("camunda.bpm.job-execution.lock-time-in-millis", LOCK_TIME_MILLIS)
			// a webhook endpoint on this machine; a dead node's deliveries are sent again after the lease
			.with("auto-assign.webhooks.require-https", "false")
			.with("auto-assign.webhooks.allow-loopback", "true")
			.with("auto-assign.webhooks.connect-timeout", "2s")
			.with("auto-assign.webhooks.request-timeout", "5s")
			.with("auto-assign.webhooks.lease", "10s")
			.with("auto-assign.webhooks.initial-backoff", "1s")
			.with("auto-assign.webhooks.max-backoff", "5s");
		try (AppNode a = AppNode.start("reliability-a", Ports.free(), redisDb, options.with(APPLICATION_NAME, "reliability-a"));
				Starting second = new Starting(a, redisDb, options);
				InProcessChecker checker = InProcessChecker.open(a.database, redisDb);
				AppNode b = second.node();
				ServiceClient api = new ServiceClient(b.base);
				AgentSessions onA = new AgentSessions();
				AgentSessions onB = new AgentSessions();
				AgentSessions reconnected = new AgentSessions();
				Platform platform = new Platform(List.of(a.base, b.base));
				WebhookSink sink = WebhookSink.start()) {
			verdict.log("node A " + a.base + " (pid " + a.pid() + "), node B " + b.base + " (pid " + b.pid()
					+ "), database " + a.database);
			api.configure(company, Map.ofEntries(Map.entry("strategy", "least_busy"), Map.entry("maxChatsPerAgent", 6),
					Map.entry("autoReassignOnOffline", true), Map.entry("offlineGracePeriodMinutes", 1),
					Map.entry("autoMenuEnabled", true), Map.entry("menuTimeoutMinutes", 1),
					Map.entry("autoCloseEnabled", true), Map.entry("inactivityThresholdMinutes", 30)));
			api.call("PUT", "/api/v1/companies/" + company + "/webhooks/platform",
					Map.of("url", sink.url(), "secret", "failover-secret-0123456789"));
			Store store = new Store(a.database);
			EventLedger ledger = new EventLedger();
			onA.listen(ledger::accept);
			onB.listen(ledger::accept);
			reconnected.listen(ledger::accept);
			Map<String, StompSession> sessionsOnA = new ConcurrentHashMap<>();
			Map<String, StompSession> sessionsOnB = new ConcurrentHashMap<>();
			List<String> users = new ArrayList<>(agents);
			users.addAll(admins);
			for (int i = 0; i < users.size(); i++) {
				String user = users.get(i);
				boolean admin = user.startsWith("admin");
				// Every chat's menu selection is "sales", and a selected group binds the chat to it.
				api.call("PUT", "/api/v1/companies/" + company + "/agents/" + user,
						Map.of("name", user, "role", admin ? "ADMIN" : "AGENT", "groupIds", List.of("sales")));
				if (!admin) {
					api.call("PUT", "/api/v1/companies/" + company + "/agents/" + user + "/status", Map.of("status", "ACTIVE"));
				}
				if (i % 2 == 0) {
					sessionsOnA.put(user, onA.connect(a.base, user, api.token(company, user)));
				}
				else {
					sessionsOnB.put(user, onB.connect(b.base, user, api.token(company, user)));
				}
			}
			verdict.log("STOMP clients on node A: " + new TreeSet<>(sessionsOnA.keySet()) + ", on node B: "
					+ new TreeSet<>(sessionsOnB.keySet()));
			// Chats to be made inactive at the kill: created now, routed, then left alone.
			// Forty, so that both nodes' job executors take some of their checks (one takes at most 16 at once).
			List<String> idle = IntStream.range(0, 40).mapToObj((i) -> "idle-" + i).toList();
			for (String chatId : idle) {
				api.call("POST", "/api/v1/companies/" + company + "/chats", ServiceClient.chat(chatId));
				api.call("POST", "/api/v1/companies/" + company + "/chats/" + chatId + "/menu-selection",
						Map.of("groupId", "sales"));
			}
			Workload workload = new Workload(platform, company, "c-", agents, admins, shape, verdict);
			Killing killing = new Killing(verdict, a, b, api, platform, store, workload, company, agents, idle,
					Map.of(a, sessionsOnA, b, sessionsOnB), reconnected, quick);
			killing.sink = sink;
			workload.run(List.of(), (n) -> {
			}, killAt, killing::prepare);
			verdict.log("plan done in " + workload.elapsed() / 1000 + " s of load; answers " + platform.answers()
					+ ", retries " + platform.retries());
			killing.awaitReconnected();
			killing.verifyTimersAndJobs();
			Report report = checker.awaitConsistent(company, Duration.ofMinutes(3));
			verdict.log("checker after settling: " + InProcessChecker.describe(report));
			verdict.check(report.consistent(), "invariant checker passes on the survivor's state: "
					+ InProcessChecker.describe(report));
			Set<String> scenarioChats = new HashSet<>(idle);
			scenarioChats.addAll(killing.menuWaiting);
			workload.verifyFinalState(store, verdict, new HashSet<>(idle), scenarioChats);
			List<String> differences = ledger.awaitAgreement(store, company, agents, Duration.ofMinutes(1));
			differences.stream().limit(10).forEach((line) -> verdict.log("  " + line));
			verdict.check(differences.isEmpty(), "every agent's STOMP client (reconnected ones: sync on the survivor plus "
					+ "the events after it) was told exactly its chats (" + differences.size() + " were not)");
			killing.verifyFreshSync(ledger);
			Map<String, StompSession> survivors = new HashMap<>(killing.survivorSessions());
			survivors.putAll(killing.reconnectedSessions);
			List<String> dropped = survivors.entrySet().stream().filter((e) -> !e.getValue().isConnected())
				.map(Map.Entry::getKey).sorted().toList();
			verdict.check(dropped.isEmpty(), "every STOMP client of the survivor is still connected (dropped: " + dropped + ")");
			killing.verifyWebhooks(sink);
		}
		return verdict.finish("failover run");
	}

	/** Node B joining while the checker's context starts (two slow starts at once). */
	private static final class Starting implements AutoCloseable {

		private final java.util.concurrent.CompletableFuture<AppNode> node;

		Starting(AppNode first, int redisDb, AppNode.Options options) {
			this.node = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> AppNode.join(first, "reliability-b", Ports.free(), redisDb,
						options.with(APPLICATION_NAME, "reliability-b")));
		}

		AppNode node() {
			return this.node.join();
		}

		@Override
		public void close() {
			this.node.thenAccept(AppNode::close);
		}

	}

	/** The kill of one node and what must happen after it. */
	private static final class Killing {

		private final Verdict verdict;

		private final AppNode a;

		private final AppNode b;

		private final ServiceClient api;

		private final Platform platform;

		private final Store store;

		private final Workload workload;

		private final String company;

		private final List<String> agents;

		private final List<String> idle;

		private final Map<AppNode, Map<String, StompSession>> sessions;

		private volatile AppNode victim;

		private volatile AppNode survivor;

		private volatile ServiceClient survivorApi;

		private final List<String> victimUsers = new java.util.concurrent.CopyOnWriteArrayList<>();


		private final AgentSessions reconnected;

		/** The webhook endpoint (set before the run). */
		volatile WebhookSink sink;

		private final Set<Long> leasedAtKill = ConcurrentHashMap.newKeySet();

		private final boolean quick;

		final Map<String, StompSession> reconnectedSessions = new ConcurrentHashMap<>();

		private final List<String> offlineAgents = new ArrayList<>();

		private final Map<String, Set<String>> chatsOfOffline = new HashMap<>();

		private final List<String> menuWaiting = new ArrayList<>();

		private final Map<String, java.sql.Timestamp> lockedAtKill = new HashMap<>();

		private final Set<String> deadNodeJobs = ConcurrentHashMap.newKeySet();

		private Thread killer;

		private final Map<String, Long> syncsBeforeReconnect = new ConcurrentHashMap<>();

		Killing(Verdict verdict, AppNode a, AppNode b, ServiceClient api, Platform platform, Store store,
				Workload workload, String company, List<String> agents, List<String> idle,
				Map<AppNode, Map<String, StompSession>> sessions, AgentSessions reconnected, boolean quick) {
			this.verdict = verdict;
			this.a = a;
			this.b = b;
			this.api = api;
			this.platform = platform;
			this.store = store;
			this.workload = workload;
			this.company = company;
			this.agents = agents;
			this.idle = idle;
			this.sessions = sessions;
			this.reconnected = reconnected;
			this.quick = quick;
		}

		/**
		 * Runs in the middle of the load (which waits meanwhile): two agents holding chats go
		 * OFFLINE, chats start waiting for their menu, the idle chats' activity moves back; then
		 * the kill itself runs beside the load.
		 */
		void prepare() {
			String chats = "/api/v1/companies/" + this.company + "/chats";
			Map<String, Integer> loads = this.store.loads(this.company);
			List<String> byLoad = new ArrayList<>(this.agents);
			byLoad.sort((x, y) -> Integer.compare(loads.getOrDefault(y, 0), loads.getOrDefault(x, 0)));
			for (String agentId : byLoad.subList(0, 2)) {
				this.workload.freeze(agentId);
				this.api.call("PUT", "/api/v1/companies/" + this.company + "/agents/" + agentId + "/status",
						Map.of("status", "OFFLINE"));
				this.offlineAgents.add(agentId);
				this.chatsOfOffline.put(agentId, this.store.assignedTo(this.company, agentId));
				this.verdict.check(this.store.offlineProcess(this.company, agentId) != null,
						agentId + "'s offline grace process (and its timer) runs");
			}
			for (int i = 0; i < 10; i++) {
				String chatId = "menu-" + i;
				this.api.call("POST", chats, ServiceClient.chat(chatId));
				this.menuWaiting.add(chatId);
			}
			this.store.backdateActivity(this.company, this.idle);
			this.verdict.log("before the kill: OFFLINE " + this.offlineAgents + " holding " + this.chatsOfOffline
					+ "; " + this.menuWaiting.size() + " chats wait for their menu; " + this.idle.size()
					+ " chats inactive for 31 minutes");
			this.verdict.check(this.chatsOfOffline.values().stream().allMatch((held) -> !held.isEmpty()),
					"the agents that went OFFLINE held chats");
			this.killer = new Thread(this::kill, "kill");
			this.killer.start();
		}

		/**
		 * While the idle chats' rows are held, their inactivity checks fall due: both nodes take
		 * jobs and wait in them, holding their job locks. The node holding them is killed in that
		 * state (load still running), the rows are released, and its clients reconnect to the other.
		 */
		private void kill() {
			Map<String, String> locks = new HashMap<>();
			try (AutoCloseable held = this.store.holdRows(this.company, this.idle)) {
				int due = this.store.makeChatTimersDue(this.company, this.idle, Element.Timer_Inactivity.name());
				this.verdict.check(due == this.idle.size(), "the idle chats' inactivity timers fell due (" + due + ")");
				boolean waiting = Waits.until(Duration.ofSeconds(60), () -> !this.store.waitingOnLocks().isEmpty());
				this.verdict.check(waiting, "job threads wait on the held rows");
				locks.putAll(this.store.chatTimerLocks(this.company, this.idle, Element.Timer_Inactivity.name()));
				this.store.jobs().stream().filter((job) -> job.lockOwner() != null)
					.forEach((job) -> this.lockedAtKill.put(job.id(), job.lockExpires()));
				this.victim = chooseVictim();
				this.survivor = this.victim == this.a ? this.b : this.a;
				this.victimUsers.addAll(new TreeSet<>(this.sessions.get(this.victim).keySet()));
				this.survivorApi = new ServiceClient(this.survivor.base);
				// deliveries under way on both nodes at the kill: the endpoint holds its requests until after it
				this.sink.hold();
				Waits.until(Duration.ofSeconds(10), () -> this.sink.held() > 0);
				this.leasedAtKill.addAll(this.store.leasedDeliveries(this.company));
				this.victim.kill();
				this.sink.release();
				this.platform.drop(this.victim.base);
				this.verdict.log("KILLED " + this.victim.name + " (SIGKILL, pid " + this.victim.pid() + ") at " + this.workload.elapsed() / 1000
						+ " s of load; inactivity jobs per lock owner: " + countByOwner(locks) + "; jobs locked in all: "
						+ this.lockedAtKill.size());
			}
			catch (Exception ex) {
				this.verdict.check(false, "kill sequence: " + ex);
				return;
			}
			// The rows are free again: the survivor's jobs finish; what stays locked is the dead node's.
			Map<String, String> stale = new HashMap<>();
			Waits.until(Duration.ofSeconds(20), () -> {
				stale.clear();
				this.store.jobs().stream()
					.filter((job) -> job.lockExpires() != null && job.lockExpires().equals(this.lockedAtKill.get(job.id())))
					.forEach((job) -> stale.put(job.id(), job.lockOwner()));
				return stale.values().stream().distinct().count() <= 1;
			});
			this.deadNodeJobs.addAll(stale.keySet());
			this.verdict.log(stale.size() + " jobs stay locked by the dead node " + countByOwner(stale)
					+ " until their lock expires");
			this.verdict.check(!stale.isEmpty(), "the killed node died holding job locks");
			if (this.quick) {
				// The short run does not wait the minute these timers take: they fall due now, after the kill.
				int grace = this.store.makeGraceTimersDue(this.company, this.offlineAgents);
				int menu = this.store.makeChatTimersDue(this.company, this.menuWaiting, Element.Timer_MenuTimeout.name());
				this.verdict.log("short run: " + grace + " grace timers and " + menu + " menu timers made due after the kill");
				this.verdict.check(grace == this.offlineAgents.size() && menu == this.menuWaiting.size(),
						"every grace and menu timer waited for the survivor");
			}
			reconnect();
		}

		/**
		 * The node whose job threads wait on the held rows: it holds the due jobs' locks (one
		 * node's acquisition usually takes them all), so its death leaves locks behind. Each node
		 * names its database connections after itself. Node A when both or neither wait.
		 */
		private AppNode chooseVictim() {
			Map<String, Integer> waiting = this.store.waitingOnLocks();
			this.verdict.log("database sessions waiting on the held rows, by node: " + waiting);
			return waiting.getOrDefault(this.b.name, 0) > waiting.getOrDefault(this.a.name, 0) ? this.b : this.a;
		}

		/** The STOMP clients of the node that stays up (known once the kill happened). */
		Map<String, StompSession> survivorSessions() {
			return this.sessions.get(this.survivor);
		}

		private static Map<String, Long> countByOwner(Map<String, String> locks) {
			Map<String, Long> counts = new java.util.TreeMap<>();
			locks.values().forEach((owner) -> counts.merge(owner == null ? "unlocked" : owner, 1L, Long::sum));
			return counts;
		}

		/** The clients of the killed node notice the lost connection and reconnect to the survivor. */
		private void reconnect() {
			boolean noticed = Waits.until(Duration.ofMinutes(1),
					() -> this.sessions.get(this.victim).values().stream().noneMatch(StompSession::isConnected));
			this.verdict.check(noticed, "the STOMP clients of the killed node noticed its death");
			for (String user : this.victimUsers) {
				try {
					this.reconnectedSessions.put(user, this.reconnected.connect(this.survivor.base, user, this.survivorApi.token(this.company, user)));
					this.verdict.log(user + " reconnected to the survivor and got its CHAT_ASSIGNMENT_SYNC");
				}
				catch (RuntimeException ex) {
					this.verdict.check(false, user + " reconnects to the survivor and gets a sync: " + ex.getMessage());
				}
			}
		}

		void awaitReconnected() {
			try {
				this.killer.join(Duration.ofMinutes(3).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			this.verdict.check(!this.killer.isAlive(), "the clients of the killed node reconnected within 3 minutes");
		}

		/** The survivor fired every timer, took over the dead node's locked jobs, and nothing is overdue. */
		/**
		 * Every webhook delivery of the run was acknowledged (those the dead node had under way
		 * sent again by the survivor once their lease ran out), and the endpoint received every
		 * event the outbox holds.
		 */
		void verifyWebhooks(WebhookSink sink) {
			boolean settled = Waits.until(Duration.ofMinutes(2),
					() -> this.store.deliveriesByStatus(this.company).keySet().equals(Set.of("DELIVERED")));
			Map<String, Integer> byStatus = this.store.deliveriesByStatus(this.company);
			this.verdict.log("webhook deliveries by status: " + byStatus + "; under way at the kill: "
					+ this.leasedAtKill.size() + ", of which sent more than once: "
					+ this.store.deliveredAgain(this.leasedAtKill).size() + "; requests received: " + sink.received());
			this.store.pendingDeliveries(this.company).stream().limit(10).forEach((line) -> this.verdict.log("  " + line));
			this.verdict.check(settled && byStatus.getOrDefault("DELIVERED", 0) > 0,
					"every webhook delivery was acknowledged, none pending or failed: " + byStatus);
			this.verdict.check(!this.leasedAtKill.isEmpty(), "webhook deliveries were under way when the node died");
			Set<String> missing = new HashSet<>(this.store.deliveredEventIds(this.company));
			missing.removeAll(sink.eventIds());
			this.verdict.check(missing.isEmpty(),
					"the webhook endpoint received every event of the outbox (missing: " + missing.size() + ")");
		}

		void verifyTimersAndJobs() {
			Duration timeout = Duration.ofMinutes(5);
			boolean graceFired = Waits.until(timeout, () -> this.offlineAgents.stream()
				.allMatch((agent) -> this.store.offlineProcess(this.company, agent) == null
						&& this.store.assignedTo(this.company, agent).isEmpty()));
			this.verdict.log("grace timers: OFFLINE agents now hold "
					+ this.offlineAgents.stream().map((agent) -> agent + "=" + this.store.assignedTo(this.company, agent)).toList());
			this.verdict.check(graceFired,
					"the survivor fired the offline grace timers: their processes ended and the OFFLINE agents hold no chat");
			Map<String, Store.ChatRow> rows = this.store.chats(this.company);
			int rerouted = 0;
			int closedMeanwhile = 0;
			for (Set<String> chats : this.chatsOfOffline.values()) {
				for (String chatId : chats) {
					Store.ChatRow row = rows.get(chatId);
					this.verdict.check(row != null && (!row.open() || !this.offlineAgents.contains(row.agentId())),
							"chat " + chatId + " of an OFFLINE agent was re-routed: " + row);
					if (row != null && row.open()) {
						rerouted++;
					}
					else {
						closedMeanwhile++;
					}
				}
			}
			this.verdict.log("chats the OFFLINE agents held: " + rerouted + " re-routed (assigned elsewhere or queued), "
					+ closedMeanwhile + " closed meanwhile");
			boolean menuFired = Waits.until(timeout, () -> {
				Map<String, Store.ChatRow> now = this.store.chats(this.company);
				return this.menuWaiting.stream().allMatch((id) -> now.get(id) != null
						&& !"PENDING".equals(now.get(id).assignmentStatus()));
			});
			Map<String, Store.ChatRow> afterMenu = this.store.chats(this.company);
			this.verdict.log("menu timers: " + this.menuWaiting.stream().map((id) -> id + "=" + afterMenu.get(id).assignmentStatus()).toList());
			this.verdict.check(menuFired, "the survivor fired the Auto-Menu timeouts: no menu chat is PENDING");
			boolean closed = Waits.until(timeout, () -> {
				Map<String, Store.ChatRow> now = this.store.chats(this.company);
				return this.idle.stream().allMatch((id) -> !now.get(id).open() && "INACTIVITY".equals(now.get(id).closeReason()));
			});
			Map<String, Store.ChatRow> afterClose = this.store.chats(this.company);
			this.verdict.log("inactivity timers: " + this.idle.stream().map((id) -> id + "=" + afterClose.get(id).status()
					+ "/" + afterClose.get(id).closeReason()).toList());
			this.verdict.check(closed, "the survivor fired the inactivity timers: the idle chats are CLOSED for INACTIVITY");
			boolean nonePending = Waits.until(timeout, () -> this.store.chats(this.company).values().stream()
				.noneMatch((row) -> row.open() && "PENDING".equals(row.assignmentStatus())));
			this.verdict.check(nonePending, "no open chat is left PENDING");
			List<Store.JobRow> overdue = new ArrayList<>();
			boolean noneOverdue = Waits.until(timeout, () -> {
				overdue.clear();
				overdue.addAll(this.store.overdueJobs(30));
				return overdue.isEmpty();
			});
			this.verdict.check(noneOverdue, "no job is overdue by more than 30 s or held under an expired lock: " + overdue);
			Map<String, java.sql.Timestamp> stillLocked = new HashMap<>();
			for (Store.JobRow job : this.store.jobs()) {
				java.sql.Timestamp before = this.lockedAtKill.get(job.id());
				if (before != null && before.equals(job.lockExpires())) {
					stillLocked.put(job.id(), before);
				}
			}
			long deadNodeLeft = this.store.jobs().stream().filter((job) -> this.deadNodeJobs.contains(job.id())).count();
			this.verdict.log("jobs locked at the kill: " + this.lockedAtKill.size() + ", still under that lock: "
					+ stillLocked.size() + "; of the " + this.deadNodeJobs.size() + " the dead node held, left: " + deadNodeLeft);
			this.verdict.check(deadNodeLeft == 0, "the survivor ran every job the dead node had locked, after its lock expired");
			this.verdict.check(stillLocked.isEmpty(), "every job locked at the kill ran or was re-acquired: " + stillLocked);
		}

		/** A fresh connection of each of the killed node's users to the survivor gets exactly the current state. */
		void verifyFreshSync(EventLedger ledger) {
			try (AgentSessions fresh = new AgentSessions()) {
				Map<String, JsonNode> syncs = new ConcurrentHashMap<>();
				fresh.listen((received) -> {
					if ("CHAT_ASSIGNMENT_SYNC".equals(received.event().path("type").asText())) {
						syncs.put(received.user(), received.event());
					}
				});
				for (String user : this.victimUsers) {
					fresh.connect(this.survivor.base, user, this.survivorApi.token(this.company, user));
					// connect() returns once the sync arrived; the listener may still be handing it over.
					Waits.until(Duration.ofSeconds(30), () -> syncs.containsKey(user));
					JsonNode sync = syncs.get(user);
					Set<String> told = new TreeSet<>();
					sync.path("assignedChats").forEach((chat) -> told.add(chat.path("chatId").asText()));
					if (this.agents.contains(user)) {
						Set<String> truth = new TreeSet<>(this.store.assignedTo(this.company, user));
						this.verdict.check(told.equals(truth), user + "'s sync from the survivor lists its " + truth.size()
								+ " chats: told " + told + ", holds " + truth);
					}
					else {
						List<String> queued = new ArrayList<>();
						sync.path("queuedChats").forEach((chat) -> queued.add(chat.path("chatId").asText()));
						List<String> queue = new ArrayList<>();
						this.survivorApi.call("GET", "/api/v1/companies/" + this.company + "/queue?limit=10000", null)
							.forEach((entry) -> queue.add(entry.path("chatId").asText()));
						this.verdict.check(queued.equals(queue), user + "'s sync from the survivor shows the queue ("
								+ queue.size() + " chats) in order: " + (queued.equals(queue) ? "yes" : queued + " vs " + queue));
					}
				}
				this.verdict.log("fresh syncs from the survivor checked for " + this.victimUsers);
			}
			this.verdict.check(this.victimUsers.stream().allMatch((user) -> ledger.syncsOf(user) >= 2),
					"each of the killed node's users got a sync at its first connect and another from the survivor");
		}

	}

}
