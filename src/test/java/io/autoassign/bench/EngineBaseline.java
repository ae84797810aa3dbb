package io.autoassign.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProvider;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProviderCaseInstanceContext;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProviderHistoricDecisionInstanceContext;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProviderProcessInstanceContext;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;

/**
 * The engine-only baseline: the production lifecycle diagram with every delegate replaced by
 * one that only sets the variables its gateways read (routing outcome ASSIGNED), started by
 * the same number of callers with the same start variables, on a fresh database of the same
 * PostgreSQL server, the same history level and the engine settings the service uses; no
 * REST, no Redis, no events. Runs in its own JVM, like the service.
 */
public final class EngineBaseline {

	/** The service's connection pool (application.yml, AUTO_ASSIGN_DB_POOL_SIZE). */
	static final int POOL_SIZE = 20;

	private EngineBaseline() {
	}

	/**
	 * Starts a baseline JVM that primes its engine (in the intake's shape) and then waits for
	 * windows to be asked for one at a time, so that they alternate with the service's.
	 */
	static Served serve(String history, Priming priming, int threads, int batch) {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
				"-Xms512m", "-cp", System.getProperty("java.class.path"), EngineBaseline.class.getName(), "serve", history,
				Integer.toString(threads), Integer.toString(batch), Long.toString(priming.window().toMillis()),
				Long.toString(priming.limit().toMillis()), Integer.toString(priming.minWindows()));
		try {
			Path log = Path.of("target", "bench", "baseline-served-" + history + ".log");
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
			return new Served(process);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A baseline JVM serving windows: {@link #window}, {@link #analyze}, then {@link #close}. */
	static final class Served implements AutoCloseable {

		private final Process process;

		private final java.io.BufferedReader out;

		private final java.io.PrintWriter in;

		final List<Double> priming = new ArrayList<>();

		Served(Process process) {
			this.process = process;
			this.out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			this.in = new java.io.PrintWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
			String line;
			while (!"READY".equals(line = read())) {
				if (line.startsWith("PRIMING-RATE ")) {
					this.priming.add(Double.parseDouble(line.substring("PRIMING-RATE ".length())));
				}
			}
		}

		/** One window at the maximum rate: {@code threads} callers, {@code batch} instances per transaction. */
		double window(int threads, int batch, Duration warmup, Duration measured) {
			this.in.println("WINDOW " + threads + " " + batch + " " + warmup.toMillis() + " " + measured.toMillis());
			String line = read();
			if (!line.startsWith("RATE ")) {
				throw new IllegalStateException("Engine baseline answered " + line);
			}
			return Double.parseDouble(line.substring("RATE ".length()));
		}

		/** ANALYZE of the baseline's database (as the service's node gets before each repetition). */
		void analyze() {
			this.in.println("ANALYZE");
			String line = read();
			if (!"ANALYZED".equals(line)) {
				throw new IllegalStateException("Engine baseline answered " + line);
			}
		}

		private String read() {
			try {
				String line = this.out.readLine();
				if (line == null) {
					throw new IllegalStateException("The engine baseline stopped; see target/bench/baseline-served-*.log");
				}
				return line;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.in.println("EXIT");
			if (!this.process.waitFor(2, TimeUnit.MINUTES)) {
				this.process.destroyForcibly();
			}
		}

	}

	/**
	 * Starts the baseline JVM; answers instances per second of each repetition. The engine is
	 * primed as the service is ({@link Priming}, then ANALYZE), then measured once per repetition.
	 */
	static List<Double> measure(String history, int callers, int batch, Duration warmup, Duration measured, int reps,
			Priming priming) {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
				"-Xms512m", "-Dbench.batch=" + batch, "-cp", System.getProperty("java.class.path"), EngineBaseline.class.getName(), history,
				Integer.toString(callers), Long.toString(warmup.toMillis()), Long.toString(measured.toMillis()),
				Integer.toString(reps), Long.toString(priming.window().toMillis()), Long.toString(priming.limit().toMillis()),
				Integer.toString(priming.minWindows()));
		try {
			Path log = Path.of("target", "bench", "baseline-" + history + "-" + batch + ".log");
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("Engine baseline failed; see " + log);
			}
			List<Double> rates = new ArrayList<>();
			for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
				if (line.startsWith("BASELINE-RATE ")) {
					rates.add(Double.parseDouble(line.substring("BASELINE-RATE ".length())));
				}
			}
			if (rates.size() != reps) {
				throw new IllegalStateException("Engine baseline printed " + rates.size() + " rates; see " + log);
			}
			return rates;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static void main(String[] args) throws Exception {
		if ("serve".equals(args[0])) {
			serveWindows(args);
			return;
		}
		String history = args[0];
		int callers = Integer.parseInt(args[1]);
		int batch = Integer.parseInt(System.getProperty("bench.batch", "1"));
		Duration warmup = Duration.ofMillis(Long.parseLong(args[2]));
		Duration measured = Duration.ofMillis(Long.parseLong(args[3]));
		int reps = Integer.parseInt(args[4]);
		Priming priming = new Priming(Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(Long.parseLong(args[6])),
				Integer.parseInt(args[7]));
		String database = "aa_bench_baseline_" + System.currentTimeMillis();
		AppNode.admin("create database " + database);
		try (HikariDataSource dataSource = dataSource(database)) {
			ProcessEngine engine = engine(dataSource, history);
			try {
				engine.getRepositoryService()
					.createDeployment()
					.addString("chat-lifecycle.bpmn", shape())
					.deploy();
				// as the service's benchmark: primed until steady, then the planner statistics
				// refreshed (autovacuum's job, off on this machine's server), then measured
				for (double rate : priming.untilSteady(() -> run(engine, callers, batch, Duration.ZERO, priming.window()))) {
					System.out.println("PRIMING-RATE " + rate);
				}
				analyze(dataSource);
				for (int rep = 0; rep < reps; rep++) {
					System.out.println("BASELINE-RATE " + run(engine, callers, batch, warmup, measured));
				}
			}
			finally {
				engine.close();
			}
		}
		finally {
			AppNode.admin("drop database if exists " + database + " with (force)");
		}
	}

	/** The service's pool on a database of the machine's server. */
	private static HikariDataSource dataSource(String database) {
		HikariConfig pool = new HikariConfig();
		pool.setJdbcUrl(AppNode.PG + database + System.getProperty("bench.jdbcParams", ""));
		// as application-postgres.yml
		pool.addDataSourceProperty("reWriteBatchedInserts", "true");
		pool.setUsername("postgres");
		// the service's pool size (AUTO_ASSIGN_DB_POOL_SIZE's default)
		pool.setMaximumPoolSize(POOL_SIZE);
		pool.setAutoCommit(false);
		return new HikariDataSource(pool);
	}

	private static ProcessEngine engine(HikariDataSource dataSource, String history) {
		StandaloneProcessEngineConfiguration configuration = (StandaloneProcessEngineConfiguration) ProcessEngineConfiguration
			.createStandaloneProcessEngineConfiguration();
		configuration.setDataSource(dataSource);
		configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
		configuration.setHistory(history);
		configuration.setJobExecutorActivate(false);
		configuration.setIdGenerator(new StrongUuidGenerator());
		ProcessEngineConfigurationImpl impl = configuration;
		impl.setHistoryRemovalTimeStrategy(ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_START);
		impl.setEnforceHistoryTimeToLive(true);
		impl.setEnsureJobDueDateNotNull(true);
		impl.setMetricsEnabled(false);
		impl.setTenantIdProvider(new TenantIdProvider() {
			@Override
			public String provideTenantIdForProcessInstance(TenantIdProviderProcessInstanceContext context) {
				return "bench";
			}

			@Override
			public String provideTenantIdForCaseInstance(TenantIdProviderCaseInstanceContext context) {
				return null;
			}

			@Override
			public String provideTenantIdForHistoricDecisionInstance(
					TenantIdProviderHistoricDecisionInstanceContext context) {
				return null;
			}
		});
		// as the service: the shipped history handler (LeanHistory) and the job due-date index
		impl.setHistoryEventHandler(io.autoassign.lifecycle.LeanHistory.handler());
		ProcessEngine engine = configuration.buildProcessEngine();
		try (java.sql.Connection connection = dataSource.getConnection();
				java.sql.Statement statement = connection.createStatement()) {
			connection.setAutoCommit(true);
			statement.execute("create index if not exists AA_IDX_JOB_DUEDATE on ACT_RU_JOB (DUEDATE_)");
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return engine;
	}

	/** The serve mode: primes, prints READY, then runs what stdin asks for until EXIT. */
	private static void serveWindows(String[] args) throws Exception {
		String history = args[1];
		int primingThreads = Integer.parseInt(args[2]);
		int primingBatch = Integer.parseInt(args[3]);
		Priming priming = new Priming(Duration.ofMillis(Long.parseLong(args[4])), Duration.ofMillis(Long.parseLong(args[5])),
				Integer.parseInt(args[6]));
		String database = "aa_bench_baseline_" + System.currentTimeMillis();
		AppNode.admin("create database " + database);
		java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
				StandardCharsets.UTF_8));
		try (HikariDataSource dataSource = dataSource(database)) {
			ProcessEngine engine = engine(dataSource, history);
			try {
				engine.getRepositoryService().createDeployment().addString("chat-lifecycle.bpmn", shape()).deploy();
				// as the service's node: ANALYZE before each priming window
				for (double rate : priming.untilSteady(() -> {
					analyze(dataSource);
					return run(engine, primingThreads, primingBatch, Duration.ZERO, priming.window());
				})) {
					System.out.println("PRIMING-RATE " + rate);
				}
				analyze(dataSource);
				System.out.println("READY");
				String line;
				while ((line = commands.readLine()) != null && !line.equals("EXIT")) {
					String[] parts = line.split(" ");
					if (parts[0].equals("ANALYZE")) {
						analyze(dataSource);
						System.out.println("ANALYZED");
					}
					else if (parts[0].equals("WINDOW")) {
						System.out.println("RATE " + run(engine, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
								Duration.ofMillis(Long.parseLong(parts[3])), Duration.ofMillis(Long.parseLong(parts[4]))));
					}
					else {
						System.out.println("UNKNOWN " + line);
					}
				}
			}
			finally {
				engine.close();
			}
		}
		finally {
			AppNode.admin("drop database if exists " + database + " with (force)");
		}
	}

	private static void analyze(HikariDataSource dataSource) {
		try (java.sql.Connection connection = dataSource.getConnection();
				java.sql.Statement statement = connection.createStatement()) {
			connection.setAutoCommit(true);
			statement.execute("analyze");
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The production diagram with each delegate expression replaced by {@link Step}. */
	static String shape() throws IOException {
		String bpmn = Files.readString(Path.of("processes", "chat-lifecycle.bpmn"), StandardCharsets.UTF_8);
		return bpmn.replaceAll("camunda:delegateExpression=\"\\$\\{[A-Za-z]+\\}\"",
				java.util.regex.Matcher.quoteReplacement("camunda:class=\"" + Step.class.getName() + "\""));
	}

	private static double run(ProcessEngine engine, int callers, int batch, Duration warmup, Duration measured) {
		long start = System.nanoTime();
		long windowStart = start + warmup.toNanos();
		long end = windowStart + measured.toNanos();
		AtomicLong counted = new AtomicLong();
		AtomicLong ids = new AtomicLong();
		CountDownLatch done = new CountDownLatch(callers);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			Thread thread = new Thread(() -> {
				try {
					while (true) {
						long now = System.nanoTime();
						if (now >= end) {
							break;
						}
						((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired()
							.execute((context) -> {
								for (int b = 0; b < batch; b++) {
									engine.getRuntimeService()
										.createProcessInstanceByKey("chat-lifecycle")
										.businessKey("chat-" + ids.incrementAndGet())
										.setVariables(variables())
										.execute();
								}
								return null;
							});
						if (now >= windowStart) {
							counted.addAndGet(batch);
						}
					}
				}
				finally {
					done.countDown();
				}
			});
			threads.add(thread);
			thread.start();
		}
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return counted.get() / (measured.toNanos() / 1e9);
	}

	private static VariableMap variables() {
		return Variables.createVariables()
			.putValueTyped("companyId", Variables.stringValue("bench", true))
			.putValueTyped("autoMenuEnabled", Variables.booleanValue(false, true))
			.putValueTyped("menuTimeoutMinutes", Variables.integerValue(5, true))
			.putValueTyped("inactivityDueAt",
					Variables.dateValue(new Date(System.currentTimeMillis() + Duration.ofMinutes(30).toMillis()), true));
	}

	/** Stands in for every delegate: the chat was assigned. */
	public static final class Step implements JavaDelegate {

		@Override
		public void execute(DelegateExecution execution) {
			execution.setVariable("routingOutcome", Variables.stringValue("ASSIGNED", true));
		}

	}

}
