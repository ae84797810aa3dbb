package io.autoassign.reliability;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.autoassign.bench.AgentSessions;
import io.autoassign.bench.AppNode;
import io.autoassign.bench.ServiceClient;
import io.autoassign.invariants.InvariantChecker.Report;
import org.springframework.messaging.simp.stomp.StompSession;

/**
 * Issue 7, item 2: {@code bash reliability/run.sh load [--short]}. The packaged service on a
 * fresh PostgreSQL database takes 20,000 chats over about five minutes (1,500 over 45 s with
 * {@code --short}) from a bounded-rate platform while agents flip status, admins take chats
 * over, members write and chats close. At checkpoints the load stops, work in flight settles
 * and the invariant checker must pass; so at the end, where every accepted chat must exist
 * exactly once in its expected state and every agent's STOMP client must have been told exactly
 * the chats the database gives it.
 */
public final class LoadRun {

	private LoadRun() {
	}

	public static void main(String[] args) {
		boolean quick = Arrays.asList(args).contains("--short");
		System.exit(run(quick));
	}

	static int run(boolean quick) {
		Verdict verdict = new Verdict();
		int agentCount = quick ? 12 : 40;
		int adminCount = quick ? 2 : 4;
		Workload.Shape shape = quick
				? new Workload.Shape(1_500, Duration.ofSeconds(45), 32, 0.85, 0.08, 2, 0, Duration.ofSeconds(1),
						Duration.ofSeconds(10), Duration.ofMillis(500), 7)
				: new Workload.Shape(20_000, Duration.ofMinutes(5), 48, 0.9, 0.05, 2, 0, Duration.ofSeconds(2),
						Duration.ofSeconds(20), Duration.ofMillis(500), 7);
		List<Duration> checkpoints = quick ? List.of(Duration.ofSeconds(22))
				: List.of(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(180), Duration.ofSeconds(240));
		String company = "load-" + System.currentTimeMillis();
		List<String> agents = IntStream.range(0, agentCount).mapToObj((i) -> "agent-" + i).toList();
		List<String> admins = IntStream.range(0, adminCount).mapToObj((i) -> "admin-" + i).toList();
		int redisDb = Ports.redisDb();
		verdict.log("load run (" + (quick ? "short" : "full") + "): " + shape.chats() + " chats over "
				+ shape.duration().toSeconds() + " s, " + agentCount + " agents, " + adminCount + " admins, Redis db " + redisDb);
		try (AppNode node = AppNode.start("reliability-load", Ports.free(), redisDb, AppNode.Options.defaults());
				InProcessChecker checker = InProcessChecker.open(node.database, redisDb);
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions();
				Platform platform = new Platform(List.of(node.base))) {
			verdict.log("node up at " + node.base + " (database " + node.database + "), checker connected");
			api.configure(company, Map.of("strategy", "least_busy", "maxChatsPerAgent", 8, "autoReassignOnOffline", true,
					"offlineGracePeriodMinutes", 1));
			Store store = new Store(node.database);
			EventLedger ledger = new EventLedger();
			sessions.listen(ledger::accept);
			Map<String, StompSession> clients = new ConcurrentHashMap<>();
			Setup.forEach(agents, 4, (agent) -> {
				api.agent(company, agent, "AGENT", "ACTIVE");
				clients.put(agent, sessions.connect(node.base, agent, api.token(company, agent)));
			});
			for (String admin : admins) {
				api.agent(company, admin, "ADMIN", null);
				clients.put(admin, sessions.connect(node.base, admin, api.token(company, admin)));
			}
			Workload workload = new Workload(platform, company, "c-", agents, admins, shape, verdict);
			workload.run(checkpoints, (n) -> checkpoint(verdict, checker, store, ledger, company, agents, workload,
					platform, "checkpoint " + n), null, null);
			verdict.log("plan done in " + workload.elapsed() / 1000 + " s of load; answers " + platform.answers()
					+ ", retries " + platform.retries());
			checkpoint(verdict, checker, store, ledger, company, agents, workload, platform, "end");
			workload.verifyFinalState(store, verdict, Set.of(), Set.of());
			verdict.log("STOMP events received: " + ledger.events());
			List<String> dropped = clients.entrySet().stream().filter((e) -> !e.getValue().isConnected())
				.map(Map.Entry::getKey).sorted().toList();
			verdict.check(dropped.isEmpty(), "every STOMP client is still connected (dropped: " + dropped + ")");
		}
		return verdict.finish("load run");
	}

	/** Load is stopped and drained: the checker must pass and the agents' clients agree with the database. */
	static void checkpoint(Verdict verdict, InProcessChecker checker, Store store, EventLedger ledger, String company,
			List<String> agents, Workload workload, Platform platform, String name) {
		long started = System.nanoTime();
		Report report = checker.awaitConsistent(company, Duration.ofMinutes(3));
		long settled = (System.nanoTime() - started) / 1_000_000;
		verdict.log(name + " at " + workload.elapsed() / 1000 + " s of load: checker " + InProcessChecker.describe(report)
				+ " (consistent after " + settled + " ms of settling)");
		verdict.check(report.consistent(), name + ": invariant checker passes: " + InProcessChecker.describe(report));
		List<String> differences = ledger.awaitAgreement(store, company, agents, Duration.ofMinutes(1));
		differences.stream().limit(10).forEach((line) -> verdict.log("  " + line));
		verdict.check(differences.isEmpty(),
				name + ": every agent's STOMP client was told exactly its chats (" + differences.size() + " were not)");
		verdict.log(name + ": answers so far " + platform.answers());
	}

}
