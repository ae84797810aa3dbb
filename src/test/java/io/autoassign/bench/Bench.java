package io.autoassign.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.autoassign.assignment.DecisionBench;
import io.autoassign.assignment.QueueBench;
import io.autoassign.support.RedisClusterServers;
import redis.clients.jedis.Jedis;

/**
 * The benchmark: {@code bash bench/run.sh} (see bench/README.md). Starts the packaged service on
 * the local PostgreSQL and Redis for each configuration it measures, drives it with real HTTP
 * and STOMP clients and writes the figures, each as median (min-max) over the repetitions,
 * with the limits they are measured against, to bench/RESULTS.md.
 */
public final class Bench {

	private static final int PORT = 18181;

	private static final int REDIS_DB = 4;

	/** The service's intake workers (auto-assign.intake.workers): the baseline's callers in the intake's shape. */
	private static final int INTAKE_WORKERS = 3;

	/** The tuning that mattered, each reverted on its own: label, property, value. */
	private static final List<String[]> REVERTED = List.<String[]>of(
			new String[] { "intake batching off (one chat per transaction)", "auto-assign.intake.max-batch", "1" },
			new String[] { "lean history off (every activity instance written)", "auto-assign.history.lean", "false" });

	private final Settings settings;

	private final Figures figures = new Figures();

	private final List<String> log = new ArrayList<>();

	private final List<String> priming = new ArrayList<>();

	private Bench(Settings settings) {
		this.settings = settings;
	}

	/** What to measure and how long: the full run or the CI smoke run. */
	record Settings(boolean smoke, boolean profile, int reps, Set<String> only, Path out, String command, int agents, int callers,
			Duration warmup, Duration measured, int bulkChats, int[] scaleLevels, int[] decisionAgents,
			Duration decisionTime, List<String> historyLevels) {

		boolean runs(String part) {
			if (this.only.isEmpty()) {
				// the smoke run starts as few nodes as it can: tuning is 3 more
				return !(this.smoke && part.equals("tuning"));
			}
			return this.only.contains(part);
		}

		static Settings parse(String[] args) {
			boolean smoke = Arrays.asList(args).contains("--smoke");
			boolean profile = Arrays.asList(args).contains("--profile");
			int reps = smoke ? 1 : 3;
			Set<String> only = new LinkedHashSet<>();
			Path out = smoke ? Path.of("target", "bench", "RESULTS-smoke.md") : Path.of("bench", "RESULTS.md");
			int[] levels = smoke ? new int[] { 0, 200 } : new int[] { 0, 10_000, 100_000 };
			int callers = smoke ? 4 : 32;
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--reps" -> reps = Integer.parseInt(args[++i]);
					case "--only" -> only.addAll(Arrays.asList(args[++i].split(",")));
					case "--out" -> out = Path.of(args[++i]);
					case "--scale-levels" ->
						levels = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
					case "--callers" -> callers = Integer.parseInt(args[++i]);
					default -> {
					}
				}
			}
			String command = "bash bench/run.sh" + (args.length == 0 ? "" : " " + String.join(" ", args));
			if (smoke) {
				return new Settings(true, profile, reps, only, out, command, 3, callers, Duration.ofSeconds(1),
						Duration.ofSeconds(2), 40, levels, new int[] { 10, 100 }, Duration.ofMillis(500), List.of("activity"));
			}
			return new Settings(false, profile, reps, only, out, command, 20, callers, Duration.ofSeconds(2),
					Duration.ofSeconds(8), 500, levels, new int[] { 10, 1_000, 10_000 }, Duration.ofSeconds(3),
					List.of("full", "audit", "activity", "none"));
		}

	}

	public static void main(String[] args) throws Exception {
		Bench bench = new Bench(Settings.parse(args));
		bench.run();
	}

	private void run() throws IOException {
		Instant started = Instant.now();
		if (this.settings.runs("decisions")) {
			decisions();
		}
		if (this.settings.runs("queue")) {
			queueSteps();
		}
		if (this.settings.runs("estimate")) {
			estimates();
		}
		if (this.settings.runs("e2e")) {
			endToEnd();
		}
		if (this.settings.runs("drain")) {
			queueDrain();
		}
		if (this.settings.runs("webhooks")) {
			webhooks();
		}
		if (this.settings.runs("ratelimit")) {
			rateLimit();
		}
		if (this.settings.runs("levels")) {
			serviceLevels();
		}
		if (this.settings.runs("history")) {
			historyLevels();
		}
		if (this.settings.runs("tuning")) {
			tuning();
		}
		if (this.settings.runs("bulk")) {
			bulk();
		}
		if (this.settings.runs("scale")) {
			scale();
		}
		if (this.settings.runs("nodes")) {
			twoNodes();
		}
		if (this.settings.runs("cluster")) {
			redisCluster();
		}
		write(started);
		if (this.figures.measuredCount() == 0) {
			throw new IllegalStateException("The benchmark produced no figures");
		}
	}

	// --- decisions -------------------------------------------------------------------------

	private void decisions() {
		String section = "Decisions (Redis, production Lua path)";
		for (int rep = 0; rep < this.settings.reps(); rep++) {
			DecisionBench.Result result = DecisionBench.run("127.0.0.1", 6379, 5, this.settings.decisionAgents(),
					this.settings.decisionTime(), 8);
			this.figures.add(section, "bare EVALSHA (trivial script)", "ops/s", result.bare());
			result.decisions().forEach((key, value) -> this.figures.add(section, key, "decisions/s", value));
			this.figures.add(section, "bare EVALSHA: time inside Redis", "µs per call", result.bareMicros());
			result.decisionMicros()
				.forEach((key, value) -> this.figures.add(section, key + ": time inside Redis", "µs per call", value));
		}
		double bare = this.figures.median(section, "bare EVALSHA (trivial script)");
		StringBuilder ratios = new StringBuilder("Ratios of medians (goal: each strategy at least 50% of bare; "
				+ "the largest agent count at most 1.5x the cost of the smallest):\n\n");
		int small = this.settings.decisionAgents()[0];
		int large = this.settings.decisionAgents()[this.settings.decisionAgents().length - 1];
		for (String strategy : List.of("round_robin", "least_busy", "random")) {
			double atSmall = this.figures.median(section, DecisionBench.key(strategy, small));
			double atLarge = this.figures.median(section, DecisionBench.key(strategy, large));
			ratios.append(String.format(Locale.ROOT, "- %s: %.0f%% of bare at %d agents, %.0f%% at %d agents; "
					+ "cost at %d agents = %.2fx the cost at %d\n", strategy, 100 * atSmall / bare, small,
					100 * atLarge / bare, large, large, atSmall / atLarge, small));
		}
		for (int agents : new int[] { small, large }) {
			ratios.append(String.format(Locale.ROOT, "- least_busy with a third of the chats preferring an agent: %.0f%% "
					+ "of plain least_busy at %d agents\n", 100 * this.figures.median(section, DecisionBench.key(
							DecisionBench.PREFERENCES, agents)) / this.figures.median(section,
									DecisionBench.key("least_busy", agents)), agents));
		}
		double bareMicros = this.figures.median(section, "bare EVALSHA: time inside Redis");
		for (String strategy : List.of("round_robin", "least_busy", "random")) {
			ratios.append(String.format(Locale.ROOT, "- %s, time inside Redis: %.1fx the bare script's at %d agents, "
					+ "%.1fx at %d agents\n", strategy,
					this.figures.median(section, DecisionBench.key(strategy, small) + ": time inside Redis") / bareMicros,
					small,
					this.figures.median(section, DecisionBench.key(strategy, large) + ": time inside Redis") / bareMicros,
					large));
		}
		ratios.append("- priorities do not enter the decision step (a new chat is placed by priority only when "
				+ "queued: see the queue steps)\n");
		this.figures.note(section, ratios.toString());
	}

	// --- queue steps -----------------------------------------------------------------------

	private void queueSteps() {
		String section = "Queue steps (Redis, production Lua path; priorities)";
		int[] lengths = this.settings.smoke() ? new int[] { 10, 1_000 } : new int[] { 10, 10_000 };
		for (int rep = 0; rep < this.settings.reps(); rep++) {
			QueueBench.run("127.0.0.1", 6379, 5, lengths, this.settings.decisionTime(), 8)
				.forEach((key, value) -> this.figures.add(section, key, "steps/s", value));
		}
		int small = lengths[0];
		int large = lengths[lengths.length - 1];
		StringBuilder ratios = new StringBuilder("Ratios of medians (goal: a step with " + String.format(Locale.ROOT,
				"%,d", large) + " chats queued costs at most 1.5x the step with " + small + "; priorities cost "
				+ "nothing next to NORMAL only):\n\n");
		for (String step : List.of("queue step", "dispatch read", "priority change")) {
			for (String mix : List.of("NORMAL only", "mixed priorities")) {
				double atSmall = this.figures.median(section, QueueBench.key(step, mix, small));
				double atLarge = this.figures.median(section, QueueBench.key(step, mix, large));
				ratios.append(String.format(Locale.ROOT, "- %s, %s: cost with %,d queued = %.2fx the cost with %d\n",
						step, mix, large, atSmall / atLarge, small));
			}
			double normal = this.figures.median(section, QueueBench.key(step, "NORMAL only", large));
			double mixed = this.figures.median(section, QueueBench.key(step, "mixed priorities", large));
			ratios.append(String.format(Locale.ROOT, "- %s with %,d queued: mixed priorities at %.0f%% of NORMAL only\n",
					step, large, 100 * mixed / normal));
		}
		this.figures.note(section, ratios.toString());
	}

	// --- estimated wait --------------------------------------------------------------------

	private void estimates() {
		String section = "Estimated wait (accuracy)";
		double scale = this.settings.smoke() ? 0.1 : 1;
		Duration arrivals = this.settings.smoke() ? Duration.ofSeconds(20) : Duration.ofMinutes(5);
		try (AppNode node = AppNode.start("estimate", PORT, REDIS_DB, AppNode.Options.defaults());
				ServiceClient api = new ServiceClient(node.base)) {
			for (int rep = 0; rep < this.settings.reps(); rep++) {
				WaitAccuracy.Result result = WaitAccuracy.run(api, "estimate-" + rep + "-" + System.nanoTime(), 6, 2,
						arrivals, scale, 1_000 + rep);
				this.figures.add(section, "median relative error, abs(estimate - actual) / actual", "%", 100 * result.median());
				this.figures.add(section, "p90 relative error, abs(estimate - actual) / actual", "%", 100 * result.p90());
				this.figures.add(section, "chats judged (waited at least 30 s, had an estimate)", "chats",
						result.samples());
				this.figures.add(section, "chats that waited at least 30 s without an estimate", "chats",
						result.withoutEstimate());
				this.figures.add(section, "chats in the run", "chats", result.chats());
			}
		}
		this.figures.note(section, String.format(Locale.ROOT, "A steady mix in real time (%s of arrivals, then the "
				+ "agents serve on until every chat was assigned): 6 agents with 2 slots each close each chat 20-60 s "
				+ "after it reached them; chats arrive at random at the rate they serve, 85%% NORMAL, 10%% HIGH, 5%% "
				+ "URGENT, after a backlog of 24 (whose chats arrive before any history: no estimate). Each chat's estimate is the one its POST answered; its actual wait, "
				+ "assignedAt - createdAt. Goal: median error at most 25%% over the chats that waited at least 30 s%s.",
				arrivals, this.settings.smoke() ? " (smoke: every duration x 0.1, so 3 s)" : ""));
	}

	// --- end to end ------------------------------------------------------------------------

	/**
	 * The service next to the engine alone, like for like: one node primed until its rate stops
	 * rising, one engine-only baseline JVM primed the same way (same diagram shape, history
	 * handler, connection pool, job index and heap flags), then per repetition a window of each in
	 * turn (A/B), so that the machine's noise hits both alike: the service, the baseline in the
	 * intake's shape ({@link #INTAKE_WORKERS} callers, each transaction starting as many instances
	 * as the service's intake groups from the same callers), the baseline one instance per
	 * transaction. ANALYZE runs on both databases before each repetition, by the benchmark; the
	 * node's own statistics keeper is off for the run so that no window straddles one of its
	 * rounds. Latency levels are fixed shares of the primed maximum, the same rate in every
	 * repetition; failed requests and chats never assigned within 60 s are counted as errors.
	 */
	private void endToEnd() {
		String section = "End to end (POST .../chats -> CHAT_ASSIGNED at the agent's STOMP client)";
		String history = defaultHistory();
		AppNode.Options options = AppNode.Options.defaults().with("auto-assign.statistics-interval", "1h");
		if (this.settings.profile()) {
			options.jvmArgs().add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=target/bench/e2e.jfr");
		}
		int callers = this.settings.callers();
		int intakeBatch = (callers + INTAKE_WORKERS - 1) / INTAKE_WORKERS;
		String maximum = "maximum rate (" + callers + " concurrent callers)";
		String shaped = "engine-only baseline, intake's shape (" + INTAKE_WORKERS + " callers x " + intakeBatch
				+ " instances per transaction)";
		String single = "engine-only baseline, one instance per transaction (" + callers + " callers)";
		String ratio = "service / intake-shaped baseline, same repetition";
		try (AppNode node = AppNode.start("e2e", PORT, REDIS_DB, options);
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions()) {
			String company = "bench";
			setUpAgents(api, sessions, node, company, this.settings.agents());
			EndToEnd e2e = new EndToEnd(api, sessions, company);
			List<Double> primed = prime(section, e2e, node);
			double top = primed.get(primed.size() - 1);
			Priming priming = Priming.of(this.settings.smoke());
			try (EngineBaseline.Served baseline = EngineBaseline.serve(history, priming, INTAKE_WORKERS, intakeBatch)) {
				this.priming.add(section + ": engine-only baseline (intake's shape): " + String.join(", ",
						baseline.priming.stream().map((rate) -> String.format(Locale.ROOT, "%.0f", rate)).toList())
						+ " instances/s");
				for (int rep = 0; rep < this.settings.reps(); rep++) {
					node.analyze();
					baseline.analyze();
					EndToEnd.MaxRate max = e2e.maxRate(callers, this.settings.warmup(), this.settings.measured(), node.pid());
					this.figures.add(section, maximum, "chats/s", max.chatsPerSecond());
					this.figures.add(section, "maximum rate: errors (failed requests, chats never assigned)", "chats",
							max.errors() + max.lost());
					max.cpu().forEach((owner, share) -> this.figures.add(section,
							"CPU during the maximum-rate window: " + owner, "% of all cores", share));
					// what a capacity plan scales from: CPU time per chat, in milliseconds of one core
					for (String owner : List.of("service JVM", "PostgreSQL", "Redis")) {
						Double share = max.cpu().get(owner);
						if (share != null && max.chatsPerSecond() > 0) {
							this.figures.add(section, "CPU per chat at the maximum rate: " + owner, "ms of one core",
									share / 100 * Runtime.getRuntime().availableProcessors() * 1000 / max.chatsPerSecond());
						}
					}
					check("e2e max", max.errors(), max.lost());
					double engine = baseline.window(INTAKE_WORKERS, intakeBatch, this.settings.warmup(),
							this.settings.measured());
					this.figures.add(section, shaped, "instances/s", engine);
					this.figures.add(section, ratio, "%", 100 * max.chatsPerSecond() / engine);
					this.figures.add(section, single, "instances/s",
							baseline.window(callers, 1, this.settings.warmup(), this.settings.measured()));
					for (int percent : new int[] { 25, 50, 100 }) {
						double rate = Math.max(1, Math.round(top * percent / 100.0));
						EndToEnd.Latency latency = e2e.atRate(rate, this.settings.warmup(), this.settings.measured());
						String at = String.format(Locale.ROOT, "at %.0f chats/s (%d%% of the primed maximum)", rate, percent);
						this.figures.add(section, at + ": achieved rate", "chats/s", latency.achievedRate());
						this.figures.add(section, at + ": p50", "ms", latency.p50());
						this.figures.add(section, at + ": p95", "ms", latency.p95());
						this.figures.add(section, at + ": p99", "ms", latency.p99());
						this.figures.add(section, at + ": errors (failed requests, chats never assigned)", "chats",
								latency.errors() + latency.lost());
						check("e2e " + at, latency.errors(), latency.lost());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		double e2e = this.figures.median(section, maximum);
		this.figures.note(section, String.format(Locale.ROOT,
				"The service reaches %.0f%% of the engine alone in the intake's shape (median of the per-repetition "
						+ "ratios: %.0f%%; goal: at least 70%%) and %.0f%% of the engine starting one instance per "
						+ "transaction; goal of 1,000 chats/s: %s; history level %s, written lean (LeanHistory, as "
						+ "shipped), in the service and the baseline alike. The primed chats and those of each "
						+ "repetition stay open (tens of thousands; the scale part shows what open chats cost).",
				100 * e2e / this.figures.median(section, shaped), this.figures.median(section, ratio),
				100 * e2e / this.figures.median(section, single), e2e >= 1000 ? "reached" : "not reached", history));
	}

	/**
	 * Queue-drain latency ({@link QueueDrainLatency}): one node, 50 agents of capacity one each
	 * holding a chat, 200 chats queued behind them. Primed at the maximum drain rate until steady;
	 * the latency level is half the primed maximum, fixed for every repetition.
	 */
	private void queueDrain() {
		String section = "Queue drain (a close frees a slot -> the next queued chat's CHAT_ASSIGNED at the agent's STOMP client)";
		int agents = this.settings.smoke() ? 5 : 50;
		int backlog = this.settings.smoke() ? 20 : 200;
		int callers = Math.min(this.settings.callers(), agents / 2);
		try (AppNode node = AppNode.start("drain", PORT, REDIS_DB, AppNode.Options.defaults());
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions()) {
			QueueDrainLatency drain = new QueueDrainLatency(api, sessions, "drain");
			drain.setUp(sessions, node.base, agents, backlog);
			Priming priming = Priming.of(this.settings.smoke());
			List<Double> rates = priming.untilSteady(() -> drain.maxRate(callers, priming.window()));
			if (!Boolean.getBoolean("bench.noAnalyze")) {
				node.analyze();
			}
			this.priming.add(section + ": " + String.join(", ",
					rates.stream().map((rate) -> String.format(Locale.ROOT, "%.0f", rate)).toList()) + " drains/s");
			double half = Math.max(1, Math.round(rates.get(rates.size() - 1) / 2));
			String at = String.format(Locale.ROOT, "at %.0f closes/s (half the primed maximum)", half);
			for (int rep = 0; rep < this.settings.reps(); rep++) {
				this.figures.add(section, "maximum drain rate (" + callers + " closing callers)", "drains/s",
						drain.maxRate(callers, this.settings.measured()));
				QueueDrainLatency.Latency latency = drain.atRate(half, this.settings.warmup(), this.settings.measured());
				this.figures.add(section, at + ": achieved drains", "drains/s", latency.achievedRate());
				this.figures.add(section, at + ": p50", "ms", latency.p50());
				this.figures.add(section, at + ": p95", "ms", latency.p95());
				this.figures.add(section, at + ": p99", "ms", latency.p99());
				check("queue drain " + at, latency.errors(), latency.lost());
				if (latency.skipped() > 0) {
					this.log.add("queue drain " + at + ": " + latency.skipped() + " scheduled closes found no agent holding a chat");
				}
			}
			double p99 = this.figures.median(section, at + ": p99");
			this.figures.note(section, String.format(Locale.ROOT,
					"Goal p99 <= 50 ms at half the maximum rate: %s (median p99 %.1f ms). Every close comes with a new "
							+ "chat, so the backlog stays at %d; errors (failed closes, drains that did not arrive within "
							+ "10 s) are listed under the run's log. For comparison (from their code and docs, not measured "
							+ "here): Rocket.Chat's queue worker runs every 5 s by default, Chatwoot's backlog job every 15 "
							+ "minutes, so a freed slot waits up to 5 s or 15 min for its next chat there.",
					p99 <= 50 ? "reached" : "not reached", p99, backlog));
		}
	}

	/**
	 * One node, primed; then, per repetition, the maximum rate with the company's webhook disabled
	 * and enabled, in alternating windows (so that the node's warming and the machine's noise hit
	 * both alike), each window with a local receiver answering 200 and the backlog drained before
	 * the next window.
	 */
	private void webhooks() {
		String section = "Webhooks (maximum end-to-end rate with one webhook endpoint on this machine)";
		String without = "maximum rate, webhook disabled";
		String with = "maximum rate, one webhook endpoint";
		AppNode.Options options = AppNode.Options.defaults()
			.with("auto-assign.webhooks.require-https", "false")
			.with("auto-assign.webhooks.allow-loopback", "true");
		if (this.settings.profile()) {
			options.jvmArgs()
				.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=target/bench/webhooks.jfr");
		}
		try (AppNode node = AppNode.start("webhooks", PORT, REDIS_DB, options);
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions();
				WebhookSink sink = WebhookSink.start()) {
			String company = "bench";
			setUpAgents(api, sessions, node, company, this.settings.agents());
			EndToEnd e2e = new EndToEnd(api, sessions, company);
			String webhook = "/api/v1/companies/" + company + "/webhooks/bench";
			api.call("PUT", webhook, Map.of("url", sink.url(), "secret", "bench-secret-0123456789", "enabled", false));
			prime(section, e2e, node);
			for (int rep = 0; rep < this.settings.reps(); rep++) {
				EndToEnd.MaxRate off = e2e.maxRate(this.settings.callers(), this.settings.warmup(),
						this.settings.measured(), node.pid());
				this.figures.add(section, without, "chats/s", off.chatsPerSecond());
				cpuPerChat(section, without, off);
				check(without, off.errors(), off.lost());
				api.call("PUT", webhook, Map.of("url", sink.url(), "enabled", true));
				long received = sink.received();
				EndToEnd.MaxRate on = e2e.maxRate(this.settings.callers(), this.settings.warmup(),
						this.settings.measured(), node.pid());
				this.figures.add(section, with, "chats/s", on.chatsPerSecond());
				cpuPerChat(section, with, on);
				check(with, on.errors(), on.lost());
				Instant windowEnd = Instant.now();
				Duration drained = drain(api, webhook, windowEnd);
				this.figures.add(section, "backlog drained after the window", "s", drained.toMillis() / 1000.0);
				this.figures.add(section, "deliveries received during and after the window", "requests",
						sink.received() - received);
				this.figures.add(section, "delivery lag (event to receiver), p50", "ms", sink.lagPercentile(50));
				this.figures.add(section, "delivery lag (event to receiver), p99", "ms", sink.lagPercentile(99));
				sink.resetLags();
				api.call("PUT", webhook, Map.of("url", sink.url(), "enabled", false));
			}
		}
		this.figures.note(section, String.format(Locale.ROOT,
				"With one endpoint the service reaches %.0f%% of its rate with the webhook disabled (goal: at least "
						+ "85%%; windows alternate on one node). Every event of the enabled windows is delivered before "
						+ "the next window starts.",
				100 * this.figures.median(section, with) / this.figures.median(section, without)));
	}

	/**
	 * One node, two companies alike: one counted against a rate limit far above the load (every
	 * request checked in Redis, none refused), one with no limit (never counted); per repetition
	 * the maximum rate of each, in windows alternating A B B A on the node, each primed first.
	 */
	private void rateLimit() {
		String section = "Rate limit (maximum end-to-end rate, every request counted against a limit above the load)";
		String without = "maximum rate, company without a limit";
		String with = "maximum rate, company counted against its limit";
		// AppNode's defaults give every company a limit far above what one machine can send
		AppNode.Options options = AppNode.Options.defaults().with("auto-assign.rate-limit.companies.free.requests", "0");
		try (AppNode node = AppNode.start("ratelimit", PORT, REDIS_DB, options);
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions freeSessions = new AgentSessions();
				AgentSessions limitedSessions = new AgentSessions()) {
			setUpAgents(api, freeSessions, node, "free", this.settings.agents());
			setUpAgents(api, limitedSessions, node, "limited", this.settings.agents());
			EndToEnd free = new EndToEnd(api, freeSessions, "free");
			EndToEnd limited = new EndToEnd(api, limitedSessions, "limited");
			alternate(section, node, without, free, with, limited);
		}
		this.figures.note(section, String.format(Locale.ROOT,
				"Counted against its limit, a company reaches %.0f%% of the rate of a company without one (windows "
						+ "alternate on one node; no request was refused: a 429 counts as an error above).",
				100 * this.figures.median(section, with) / this.figures.median(section, without)));
	}

	/**
	 * One node, two companies alike but for the service levels: one keeps business hours (open all
	 * week, so that every decision reads the hours and none waits) and no-reply reassignment (120
	 * minutes: every chat's reply watch looks at its start and sets its timer, none runs out), one
	 * keeps neither; per repetition the maximum rate of each, in windows alternating A B B A on the
	 * node, each primed first.
	 */
	private void serviceLevels() {
		String section = "Service levels (maximum end-to-end rate, business hours and no-reply reassignment on)";
		String without = "maximum rate, company without service levels";
		String with = "maximum rate, company with business hours (open all week) and no-reply reassignment";
		try (AppNode node = AppNode.start("levels", PORT, REDIS_DB, AppNode.Options.defaults());
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions plainSessions = new AgentSessions();
				AgentSessions hoursSessions = new AgentSessions()) {
			setUpAgents(api, plainSessions, node, "plain", this.settings.agents());
			setUpAgents(api, hoursSessions, node, "hours", this.settings.agents());
			List<Map<String, String>> week = new ArrayList<>();
			for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
				week.add(Map.of("day", day.name(), "from", "00:00", "to", "24:00"));
			}
			api.call("PATCH", "/api/v1/companies/hours/auto-assign", Map.of("businessHoursEnabled", true, "timeZone",
					"Europe/Berlin", "weeklyHours", week, "noReplyReassignEnabled", true, "noReplyMinutes", 120));
			alternate(section, node, without, new EndToEnd(api, plainSessions, "plain"), with,
					new EndToEnd(api, hoursSessions, "hours"));
		}
		this.figures.note(section, String.format(Locale.ROOT,
				"With business hours and no-reply reassignment, a company reaches %.0f%% of the rate of a company "
						+ "without them (windows alternate on one node).",
				100 * this.figures.median(section, with) / this.figures.median(section, without)));
	}

	/**
	 * Primes both companies, then measures their maximum rates in windows A B B A A B ... on the
	 * node, so that neither always has the window right after the other's.
	 */
	private void alternate(String section, AppNode node, String withoutFigure, EndToEnd without, String withFigure,
			EndToEnd with) {
		prime(section + ": " + withoutFigure, without, node);
		prime(section + ": " + withFigure, with, node);
		for (int window = 0; window < 2 * this.settings.reps(); window++) {
			boolean second = (window % 4 == 1) || (window % 4 == 2);
			EndToEnd.MaxRate max = (second ? with : without).maxRate(this.settings.callers(), this.settings.warmup(),
					this.settings.measured());
			this.figures.add(section, second ? withFigure : withoutFigure, "chats/s", max.chatsPerSecond());
			check(second ? withFigure : withoutFigure, max.errors(), max.lost());
		}
	}

	/**
	 * Where a window's CPU went, per chat: each owner's share of both cores' time over the rate,
	 * in core-milliseconds per chat (what a webhook adds per chat, and who spends it).
	 */
	private void cpuPerChat(String section, String window, EndToEnd.MaxRate max) {
		int cores = Runtime.getRuntime().availableProcessors();
		max.cpu().forEach((owner, share) -> this.figures.add(section, window + ", CPU per chat: " + owner,
				"core-ms", share / 100.0 * cores * 1000 / Math.max(1, max.chatsPerSecond())));
	}

	/** Waits until the webhook has no PENDING delivery; answers how long that took. */
	private static Duration drain(ServiceClient api, String webhook, Instant since) {
		Instant deadline = since.plus(Duration.ofMinutes(5));
		while (api.call("GET", webhook + "/deliveries?status=PENDING&limit=1", null).path("deliveries").size() > 0) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("The webhook backlog did not drain within 5 minutes");
			}
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
		}
		return Duration.between(since, Instant.now());
	}

	private void baseline(String section, String figure, String history, int batch) {
		for (double rate : EngineBaseline.measure(history, this.settings.callers(), batch, this.settings.warmup(),
				this.settings.measured(), this.settings.reps(), Priming.of(this.settings.smoke()))) {
			this.figures.add(section, figure, "instances/s", rate);
		}
	}

	private void historyLevels() {
		String section = "History levels (maximum end-to-end rate)";
		for (String level : this.settings.historyLevels()) {
			AppNode.Options options = AppNode.Options.defaults()
				.with("camunda.bpm.history-level", level)
				.with("camunda.bpm.history-level-default", level);
			maxRates(section, "history " + level, "history-" + level, options);
			baseline(section, "engine-only baseline, history " + level, level, 1);
		}
	}

	private void tuning() {
		String section = "Tuning (maximum end-to-end rate, each change reverted on its own)";
		List<String[]> configurations = new ArrayList<>();
		configurations.add(new String[] { "as shipped", null, null });
		configurations.addAll(REVERTED);
		for (String[] configuration : configurations) {
			AppNode.Options options = AppNode.Options.defaults();
			if (configuration[1] != null) {
				options = options.with(configuration[1], configuration[2]);
			}
			maxRates(section, configuration[0], "tuning", options);
		}
		double shipped = this.figures.median(section, "as shipped");
		StringBuilder note = new StringBuilder("Rate with the change reverted, against the rate as shipped:\n\n");
		for (String[] reverted : REVERTED) {
			note.append(String.format(Locale.ROOT, "- %s (`%s=%s`): %.0f%%\n", reverted[0], reverted[1], reverted[2],
					100 * this.figures.median(section, reverted[0]) / shipped));
		}
		this.figures.note(section, note.toString());
	}

	/** One node with these options, primed, then the maximum rate once per repetition. */
	private void maxRates(String section, String figure, String name, AppNode.Options options) {
		try (AppNode node = AppNode.start(name, PORT, REDIS_DB, options);
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions()) {
			setUpAgents(api, sessions, node, "bench", this.settings.agents());
			EndToEnd e2e = new EndToEnd(api, sessions, "bench");
			prime(section + ": " + figure, e2e, node);
			for (int rep = 0; rep < this.settings.reps(); rep++) {
				EndToEnd.MaxRate max = e2e.maxRate(this.settings.callers(), this.settings.warmup(),
						this.settings.measured());
				this.figures.add(section, figure, "chats/s", max.chatsPerSecond());
				check(figure, max.errors(), max.lost());
			}
		}
	}

	// --- two nodes -------------------------------------------------------------------------

	/**
	 * Two application nodes on one PostgreSQL database and one Redis, next to one node, in one
	 * run: node A is started and primed alone; node B joins (its agents' STOMP sessions on B,
	 * the others' on A); then per repetition a window with every caller on A and a window with the
	 * callers spread over A and B, in turn. On this 2-core machine both nodes share the same
	 * cores with PostgreSQL, Redis and the load generator, so this shows what a second node costs,
	 * not what it gains.
	 */
	private void twoNodes() {
		String section = "Two nodes on one PostgreSQL and Redis (maximum end-to-end rate, load on one node or spread over two)";
		String one = "one node (every caller on node A; node B running idle)";
		String two = "two nodes (callers spread over A and B)";
		AppNode.Options options = AppNode.Options.defaults().with("auto-assign.statistics-interval", "1h");
		try (AppNode a = AppNode.start("node-a", PORT, REDIS_DB, options);
				ServiceClient apiA = new ServiceClient(a.base);
				AgentSessions sessions = new AgentSessions()) {
			setUpAgents(apiA, sessions, a, "bench", 0);
			EndToEnd alone = new EndToEnd(apiA, sessions, "bench");
			try (AppNode b = AppNode.join(a, "node-b", PORT + 1, REDIS_DB, options);
					ServiceClient apiB = new ServiceClient(b.base)) {
				for (int i = 0; i < this.settings.agents(); i++) {
					String agent = "agent" + i;
					apiA.agent("bench", agent, "AGENT", "ACTIVE");
					sessions.connect(i % 2 == 0 ? a.base : b.base, agent, apiA.token("bench", agent));
				}
				EndToEnd spread = new EndToEnd(List.of(apiA, apiB), sessions, "bench");
				prime(section + ": " + one, alone, a);
				prime(section + ": " + two, spread, a);
				for (int rep = 0; rep < this.settings.reps(); rep++) {
					a.analyze();
					EndToEnd.MaxRate single = alone.maxRate(this.settings.callers(), this.settings.warmup(),
							this.settings.measured());
					this.figures.add(section, one, "chats/s", single.chatsPerSecond());
					check("nodes: " + one, single.errors(), single.lost());
					EndToEnd.MaxRate both = spread.maxRate(this.settings.callers(), this.settings.warmup(),
							this.settings.measured());
					this.figures.add(section, two, "chats/s", both.chatsPerSecond());
					check("nodes: " + two, both.errors(), both.lost());
				}
			}
		}
		this.figures.note(section, String.format(Locale.ROOT,
				"Two nodes reach %.0f%% of one node's rate here. Both nodes, PostgreSQL, Redis and the load generator "
						+ "share two cores, so a second JVM adds its own work (JIT, event delivery to the sessions on it, "
						+ "pub/sub) without adding a core: this is the overhead of the second node, not a speed-up. "
						+ "Agents' sessions are split over both nodes in both windows, so every window also measures "
						+ "delivery across nodes.",
				100 * this.figures.median(section, two) / this.figures.median(section, one)));
	}

	// --- Redis Cluster ---------------------------------------------------------------------

	/**
	 * The service on a three-master Redis Cluster that this part starts on loopback ports, next to
	 * the service on the local single Redis, in one run: node S on the single Redis, node C on the
	 * cluster and node D joined to C (C's database, the same cluster), all three running
	 * throughout; per repetition a window with every caller on S, one with every caller on C and
	 * one with the callers spread over C and D, in turn, so that the machine's drift hits each
	 * alike. One company per deployment: its keys share one hash tag and so one master.
	 */
	private void redisCluster() {
		String section = "Redis Cluster of three masters (maximum end-to-end rate, next to the single Redis)";
		String single = "one node on the single Redis";
		String one = "one node on the cluster";
		String two = "two nodes on the cluster (callers spread over both)";
		AppNode.Options options = AppNode.Options.defaults().with("auto-assign.statistics-interval", "1h");
		List<Long> commands = new ArrayList<>();
		try (RedisClusterServers cluster = RedisClusterServers.start();
				AppNode s = AppNode.start("single", PORT, REDIS_DB, options);
				ServiceClient apiS = new ServiceClient(s.base);
				AgentSessions sessionsS = new AgentSessions();
				AppNode c = AppNode.start("cluster-c", PORT + 1, REDIS_DB, options.onCluster(cluster.nodes()));
				ServiceClient apiC = new ServiceClient(c.base);
				AppNode d = AppNode.join(c, "cluster-d", PORT + 2, REDIS_DB, options.onCluster(cluster.nodes()));
				ServiceClient apiD = new ServiceClient(d.base);
				AgentSessions sessionsC = new AgentSessions()) {
			setUpAgents(apiS, sessionsS, s, "bench", this.settings.agents());
			apiC.configure("bench", Map.of("unlimitedChatsPerAgent", true, "strategy", "round_robin"));
			for (int i = 0; i < this.settings.agents(); i++) {
				String agent = "agent" + i;
				apiC.agent("bench", agent, "AGENT", "ACTIVE");
				sessionsC.connect(i % 2 == 0 ? c.base : d.base, agent, apiC.token("bench", agent));
			}
			EndToEnd onSingle = new EndToEnd(apiS, sessionsS, "bench");
			EndToEnd onOne = new EndToEnd(apiC, sessionsC, "bench");
			EndToEnd onTwo = new EndToEnd(List.of(apiC, apiD), sessionsC, "bench");
			prime(section + ": " + single, onSingle, s);
			prime(section + ": " + one, onOne, c);
			prime(section + ": " + two, onTwo, c);
			List<Long> before = cluster.ports().stream().map(Bench::commandsProcessed).toList();
			for (int rep = 0; rep < this.settings.reps(); rep++) {
				for (Object[] window : List.of(new Object[] { single, onSingle, s }, new Object[] { one, onOne, c },
						new Object[] { two, onTwo, c })) {
					analyze((AppNode) window[2]);
					EndToEnd.MaxRate max = ((EndToEnd) window[1]).maxRate(this.settings.callers(),
							this.settings.warmup(), this.settings.measured());
					this.figures.add(section, (String) window[0], "chats/s", max.chatsPerSecond());
					check("cluster: " + window[0], max.errors(), max.lost());
				}
			}
			List<Integer> ports = cluster.ports();
			for (int i = 0; i < ports.size(); i++) {
				commands.add(commandsProcessed(ports.get(i)) - before.get(i));
			}
		}
		long all = commands.stream().mapToLong(Long::longValue).sum();
		this.figures.note(section, String.format(Locale.ROOT,
				"On the cluster one node reaches %.0f%% of its rate on the single Redis, two nodes %.0f%%. "
						+ "Commands each master processed during the measured repetitions: %s (%.0f%% on the busiest): "
						+ "every key of one company carries its `{company}` hash tag, so one company lives on one master "
						+ "and its ceiling is one Redis core; companies spread over the masters. Everything (three "
						+ "service JVMs, three Redis masters, the single Redis, PostgreSQL and the load generator) "
						+ "shares two cores here, so this shows what the cluster client and a second node cost, not "
						+ "what more machines would gain (see the capacity plan).",
				100 * this.figures.median(section, one) / this.figures.median(section, single),
				100 * this.figures.median(section, two) / this.figures.median(section, single),
				String.join(" / ", commands.stream().map((n) -> String.format(Locale.ROOT, "%,d", n)).toList()),
				all == 0 ? 0.0 : 100.0 * commands.stream().mapToLong(Long::longValue).max().orElse(0) / all));
	}

	/** INFO stats total_commands_processed of the Redis server on {@code port}. */
	private static long commandsProcessed(int port) {
		try (Jedis jedis = new Jedis("127.0.0.1", port)) {
			for (String line : jedis.info("stats").split("\\r?\\n")) {
				if (line.startsWith("total_commands_processed:")) {
					return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
			}
		}
		throw new IllegalStateException("No total_commands_processed from the Redis server on port " + port);
	}

	// --- bulk ------------------------------------------------------------------------------

	private void bulk() {
		String section = "Bulk reassignment (agent with " + this.settings.bulkChats()
				+ " chats goes offline, grace 0)";
		try (AppNode node = AppNode.start("bulk", PORT, REDIS_DB, AppNode.Options.defaults());
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions()) {
			// one round more than repetitions, on the same node: the first warms the JVM up
			// (a running service is warm when an agent goes offline) and is not counted
			for (int round = 0; round <= this.settings.reps(); round++) {
				double[] times = bulkRound(api, sessions, node, "bulk" + round);
				if (round > 0) {
					this.figures.add(section, "until all re-placed and AGENT_CHATS_REASSIGNED received", "ms", times[0]);
					this.figures.add(section, "until AGENT_CHATS_REASSIGNED received", "ms", times[1]);
				}
			}
		}
		this.figures.note(section, "Goal: at most 1,000 ms. Each repetition is a new company on one node; a first, "
				+ "uncounted round warms the node up; the database is analyzed before the agent goes offline.");
	}

	/** One bulk reassignment in a new company; answers the two times in ms. */
	private double[] bulkRound(ServiceClient api, AgentSessions sessions, AppNode node, String company) {
		api.configure(company, Map.of("unlimitedChatsPerAgent", true, "strategy", "round_robin",
				"offlineGracePeriodMinutes", 0, "autoReassignOnOffline", true));
		api.agent(company, "holder", "AGENT", "ACTIVE");
		List<String> chats = IntStream.range(0, this.settings.bulkChats()).mapToObj((i) -> "b" + i).toList();
		Parallel.forEach(chats, 8, (chatId) -> api.call("POST", "/api/v1/companies/" + company + "/chats",
				ServiceClient.chat(chatId)));
		for (int i = 0; i < 10; i++) {
			api.agent(company, "other" + i, "AGENT", "ACTIVE");
		}
		String boss = company + "-boss";
		api.agent(company, boss, "ADMIN", null);
		Set<String> placed = ConcurrentHashMap.newKeySet();
		CountDownLatch announced = new CountDownLatch(1);
		long[] announcedAt = new long[1];
		long[] lastPlacedAt = new long[1];
		sessions.listen((r) -> {
			String type = r.event().path("type").asText();
			if (!r.user().equals(boss)) {
				return;
			}
			if (type.equals("CHAT_ASSIGNED") || type.equals("CHAT_QUEUED")) {
				if (placed.add(r.event().path("chatId").asText())) {
					synchronized (lastPlacedAt) {
						lastPlacedAt[0] = Math.max(lastPlacedAt[0], r.nanos());
					}
				}
			}
			if (type.equals("AGENT_CHATS_REASSIGNED") && r.event().path("agentId").asText().equals("holder")) {
				announcedAt[0] = r.nanos();
				announced.countDown();
			}
		});
		sessions.connect(node.base, boss, api.token(company, boss));
		// The 500 chats have been open a while on a running service: its tables' statistics know
		// them (autovacuum, or the node's keeper, analyzes within a minute). Right after the burst
		// that opened them, with no statistics yet, message correlation scans every waiting chat's
		// subscription by name and the same step takes about 2.8 s (bench/RESULTS.md).
		node.analyze();
		long start = System.nanoTime();
		api.call("PUT", "/api/v1/companies/" + company + "/agents/holder/status", Map.of("status", "OFFLINE"));
		awaitLatch(announced, Duration.ofMinutes(2), "AGENT_CHATS_REASSIGNED");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (placed.size() < chats.size() && System.nanoTime() < deadline) {
			AppNode.pause(Duration.ofMillis(10));
		}
		if (placed.size() < chats.size()) {
			throw new IllegalStateException("Only " + placed.size() + " of " + chats.size() + " chats re-placed");
		}
		long end = Math.max(announcedAt[0], lastPlacedAt[0]);
		return new double[] { (end - start) / 1e6, (announcedAt[0] - start) / 1e6 };
	}

	// --- scale -----------------------------------------------------------------------------

	private void scale() {
		String section = "Scale (open chats waiting in the engine)";
		try (AppNode node = AppNode.start("scale", PORT, REDIS_DB, AppNode.Options.defaults());
				ServiceClient api = new ServiceClient(node.base);
				AgentSessions sessions = new AgentSessions()) {
			setUpAgents(api, sessions, node, "bench", this.settings.agents());
			api.configure("background", Map.of("unlimitedChatsPerAgent", true, "strategy", "round_robin"));
			for (int i = 0; i < 10; i++) {
				api.agent("background", "bg" + i, "AGENT", "ACTIVE");
			}
			EndToEnd e2e = new EndToEnd(api, sessions, "bench");
			prime(section, e2e, node);
			e2e.closeAll(16);
			int open = 0;
			for (int level : this.settings.scaleLevels()) {
				List<String> more = IntStream.range(open, level).mapToObj((i) -> "bg-" + i).toList();
				Parallel.forEach(more, 16, (chatId) -> {
					int status = api.status("POST", "/api/v1/companies/background/chats", ServiceClient.chat(chatId));
					if (status != 201) {
						throw new IllegalStateException("Preloading " + chatId + " answered " + status);
					}
				});
				open = level;
				// what autovacuum would have done after so many inserts (it is off on this machine)
				node.analyze();
				String at = String.format(Locale.ROOT, "%,d open chats", level);
				for (int rep = 0; rep < this.settings.reps(); rep++) {
					EndToEnd.MaxRate max = e2e.maxRate(this.settings.callers(), this.settings.warmup(),
							this.settings.measured());
					check("scale " + at, max.errors(), max.lost());
					e2e.closeAll(8);
					EndToEnd.Latency latency = e2e.atRate(max.chatsPerSecond() / 2, this.settings.warmup(),
							this.settings.measured());
					check("scale latency " + at, latency.errors(), latency.lost());
					e2e.closeAll(8);
					this.figures.add(section, at + ": maximum rate", "chats/s", max.chatsPerSecond());
					this.figures.add(section, at + ": p99 at half that rate", "ms", latency.p99());
				}
				this.figures.add(section, at + ": heap in use after a full GC (-Xmx512m)", "MiB",
						node.heapUsedAfterGcMiB());
			}
			int last = this.settings.scaleLevels()[this.settings.scaleLevels().length - 1];
			double atZero = this.figures.median(section, "0 open chats: maximum rate");
			double atLast = this.figures.median(section, String.format(Locale.ROOT, "%,d open chats: maximum rate", last));
			this.figures.note(section, String.format(Locale.ROOT,
					"At %,d open chats the rate is %.0f%% of the rate at 0 (goal: at least 80%%); the service ran in a "
							+ "512 MiB heap throughout. Each measurement's own chats are closed again before the next.",
					last, 100 * atLast / atZero));
		}
	}

	// --- helpers ---------------------------------------------------------------------------

	/**
	 * Brings a fresh node to a steady state before anything is measured. On two cores the JIT
	 * compilers compete with the load: a node reaches its steady rate only after tens of
	 * thousands of chats. So the node is driven at its maximum rate until steady ({@link Priming});
	 * then the planner statistics are refreshed, as PostgreSQL's autovacuum would have done after
	 * so many inserts (it is off on this machine's server). The primed chats stay open. The window rates are recorded.
	 */
	private List<Double> prime(String what, EndToEnd e2e, AppNode node) {
		Priming priming = Priming.of(this.settings.smoke());
		// ANALYZE before each window, so that the rate climbs with the JIT alone and not with the
		// planner statistics of tables that grow from empty (the shipped keeper refreshes them
		// every 30 s; this machine's server runs without autovacuum)
		List<Double> rates = priming.untilSteady(() -> {
			analyze(node);
			return e2e.maxRate(this.settings.callers(), Duration.ZERO, priming.window()).chatsPerSecond();
		});
		analyze(node);
		this.priming.add(what + ": "
				+ String.join(", ", rates.stream().map((rate) -> String.format(Locale.ROOT, "%.0f", rate)).toList())
				+ " chats/s");
		return rates;
	}

	private static void analyze(AppNode node) {
		if (!Boolean.getBoolean("bench.noAnalyze")) {
			node.analyze();
		}
	}

	private static void setUpAgents(ServiceClient api, AgentSessions sessions, AppNode node, String company,
			int agents) {
		api.configure(company, Map.of("unlimitedChatsPerAgent", true, "strategy", "round_robin"));
		for (int i = 0; i < agents; i++) {
			String agent = "agent" + i;
			api.agent(company, agent, "AGENT", "ACTIVE");
			sessions.connect(node.base, agent, api.token(company, agent));
		}
	}

	private void check(String what, long errors, long lost) {
		if (errors > 0 || lost > 0) {
			String message = what + ": " + errors + " requests failed, " + lost + " accepted chats never announced";
			this.log.add(message);
			System.err.println(message);
		}
	}

	private static void awaitLatch(CountDownLatch latch, Duration timeout, String what) {
		try {
			if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("No " + what + " within " + timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String defaultHistory() {
		try {
			for (String line : Files.readAllLines(Path.of("src/main/resources/application.yml"))) {
				String trimmed = line.trim();
				if (trimmed.startsWith("history-level:")) {
					return trimmed.substring("history-level:".length()).trim();
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("No history-level in application.yml");
	}

	private void write(Instant started) throws IOException {
		StringBuilder out = new StringBuilder();
		out.append("# Benchmark results\n\n");
		out.append("- Command: `").append(this.settings.command()).append("`\n");
		out.append("- Date: ").append(started).append(" (took ")
			.append(Duration.between(started, Instant.now()).toSeconds())
			.append(" s)\n");
		out.append("- Machine: ").append(machine()).append("\n");
		out.append("- Repetitions: ").append(this.settings.reps())
			.append("; each figure is the median with min-max over them. End-to-end, history and tuning "
					+ "repetitions are consecutive measured windows on one node primed to a steady rate (see "
					+ "Priming); bulk repetitions are new companies on one node after an uncounted warm-up round\n");
		if (this.settings.smoke()) {
			out.append("- SMOKE RUN: seconds-long windows that only show the benchmark still works; "
					+ "not comparable figures\n");
		}
		if (!this.log.isEmpty()) {
			out.append("\n## Problems seen during the run\n\n");
			this.log.forEach((line) -> out.append("- ").append(line).append("\n"));
		}
		if (!this.priming.isEmpty()) {
			out.append("\n## Priming (maximum rate per window until steady, then ANALYZE; not figures)\n\n");
			this.priming.forEach((line) -> out.append("- ").append(line).append("\n"));
		}
		out.append("\n## Figures\n");
		out.append(this.figures.markdown());
		Files.createDirectories(this.settings.out().toAbsolutePath().getParent());
		Files.writeString(this.settings.out(), out.toString(), StandardCharsets.UTF_8);
		System.out.println(out);
		System.out.println("Written to " + this.settings.out());
	}

	private static String machine() {
		String cpu = "unknown CPU";
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					cpu = line.substring(line.indexOf(':') + 1).trim();
					break;
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getTotalMemorySize();
		return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB RAM, %s %s, Java %s, PostgreSQL %s, Redis %s",
				Runtime.getRuntime().availableProcessors(), cpu, memory / (1024.0 * 1024 * 1024),
				System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
				Versions.postgres(), Versions.redis());
	}


}
