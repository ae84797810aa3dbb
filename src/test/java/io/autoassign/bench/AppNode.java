package io.autoassign.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.clients.jedis.Jedis;

/**
 * One node of the service under measurement: the packaged jar in its own JVM, production
 * profile, on a fresh PostgreSQL database and a flushed Redis database of the local servers.
 */
public final class AppNode implements AutoCloseable {

	public static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

	public static final String API_KEY = "bench-platform-key";

	public static final String ADMIN_PASSWORD = "bench-admin-password";

	public final String name;

	public final String base;

	public final String database;

	private final Process process;

	private final Path log;

	private AppNode(String name, String base, String database, Process process, Path log) {
		this.name = name;
		this.base = base;
		this.database = database;
		this.process = process;
		this.log = log;
	}

	/**
	 * Settings of one start: heap, extra Spring properties, JVM arguments, and the Redis Cluster
	 * to use instead of the local Redis ({@code host:port,...} of its masters, or null).
	 */
	public record Options(String heap, Map<String, String> properties, List<String> jvmArgs, String redisCluster) {

		/**
		 * The shipped settings, but for a rate limit far above what this machine can send: every
		 * request is still counted (and costs what it costs), none is refused.
		 */
		public static Options defaults() {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("auto-assign.rate-limit.requests", "1000000");
			properties.put("auto-assign.rate-limit.burst", "10000000");
			return new Options("512m", properties, new ArrayList<>(), null);
		}

		public Options with(String property, String value) {
			Map<String, String> copy = new LinkedHashMap<>(this.properties);
			copy.put(property, value);
			return new Options(this.heap, copy, this.jvmArgs, this.redisCluster);
		}

		/** The same settings on a Redis Cluster (its masters as {@code host:port,...}). */
		public Options onCluster(String masters) {
			return new Options(this.heap, this.properties, this.jvmArgs, masters);
		}

	}

	public static AppNode start(String name, int port, int redisDb, Options options) {
		String database = ("aa_bench_" + name + "_" + System.currentTimeMillis()).replace('-', '_');
		admin("create database " + database);
		// -Dbench.autoExplainMs=N logs the plan of every statement slower than N ms to the
		// PostgreSQL server log (auto_explain), to find what a configuration spends its time on
		String autoExplain = System.getProperty("bench.autoExplainMs");
		if (autoExplain != null) {
			admin("alter database " + database + " set session_preload_libraries = 'auto_explain'");
			admin("alter database " + database + " set auto_explain.log_min_duration = " + Integer.parseInt(autoExplain));
		}
		if (options.redisCluster() == null) {
			try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
				jedis.select(redisDb);
				jedis.flushDB();
			}
		}
		ProcessBuilder builder = process(name, port, database, redisDb, options);
		Path log = Path.of("target", "bench", name + ".log");
		try {
			Files.createDirectories(log.getParent());
			builder.redirectErrorStream(true).redirectOutput(log.toFile());
			Process process = builder.start();
			AppNode node = new AppNode(name, "http://127.0.0.1:" + port, database, process, log);
			node.awaitHealthy();
			return node;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The service's JVM on {@code database}, with the local Redis database {@code redisDb} or the
	 * options' Redis Cluster.
	 */
	private static ProcessBuilder process(String name, int port, String database, int redisDb, Options options) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx" + options.heap());
		command.add("-Xms" + options.heap());
		command.addAll(options.jvmArgs());
		command.addAll(recording(name));
		command.add("-jar");
		command.add(jar().toString());
		command.add("--spring.profiles.active=postgres");
		command.add("--server.port=" + port);
		options.properties().forEach((k, v) -> command.add("--" + k + "=" + v));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("AUTO_ASSIGN_DB_URL", PG + database);
		builder.environment().put("AUTO_ASSIGN_DB_USER", "postgres");
		if (options.redisCluster() == null) {
			builder.environment().put("AUTO_ASSIGN_REDIS_URL", "redis://127.0.0.1:6379/" + redisDb);
		}
		else {
			builder.environment().put("AUTO_ASSIGN_REDIS_CLUSTER_NODES", options.redisCluster());
		}
		builder.environment().put("AUTO_ASSIGN_EVENTS_CHANNEL", "aa:bench-events-" + redisDb);
		builder.environment().put("AUTO_ASSIGN_API_KEY", API_KEY);
		builder.environment().put("AUTO_ASSIGN_ADMIN_PASSWORD", ADMIN_PASSWORD);
		return builder;
	}

	/**
	 * With {@code -Dbench.jfrDir=DIR} (e.g. {@code BENCH_JAVA_OPTS=-Dbench.jfrDir=target/bench}),
	 * each node records a flight recording to {@code DIR/<node>.jfr} for {@code bench/jfr-top.sh}
	 * ({@code -Dbench.jfrSettings=FILE.jfc} for other settings than JFR's {@code profile}).
	 */
	private static List<String> recording(String name) {
		String directory = System.getProperty("bench.jfrDir");
		if (directory == null) {
			return List.of();
		}
		return List.of("-XX:StartFlightRecording=settings=" + System.getProperty("bench.jfrSettings", "profile")
				+ ",filename="
				+ Path.of(directory, name + ".jfr").toAbsolutePath());
	}

	/** Joins a second node to an existing node's database and Redis. */
	public static AppNode join(AppNode first, String name, int port, int redisDb, Options options) {
		ProcessBuilder builder = process(name, port, first.database, redisDb, options);
		Path log = Path.of("target", "bench", name + ".log");
		try {
			builder.redirectErrorStream(true).redirectOutput(log.toFile());
			AppNode node = new AppNode(name, "http://127.0.0.1:" + port, null, builder.start(), log);
			node.awaitHealthy();
			return node;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public long pid() {
		return this.process.pid();
	}

	/** Heap in use right after a full collection, in MiB (via jcmd). */
	double heapUsedAfterGcMiB() {
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		Matcher matcher = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K").matcher(info);
		if (matcher.find()) {
			return Long.parseLong(matcher.group(2)) / 1024.0;
		}
		Matcher any = Pattern.compile("used (\\d+)K").matcher(info);
		long used = 0;
		while (any.find()) {
			used += Long.parseLong(any.group(1));
		}
		return used / 1024.0;
	}

	private String jcmd(String what) {
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					Long.toString(pid()), what)
				.redirectErrorStream(true)
				.start();
			String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			jcmd.waitFor(60, TimeUnit.SECONDS);
			return out;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Refreshes the planner's statistics of this node's database, as PostgreSQL's autovacuum
	 * does after large changes. This machine's server runs with autovacuum off; without
	 * statistics the engine's correlation queries are planned as scans over every waiting
	 * chat's subscriptions (see bench/RESULTS.md).
	 */
	void analyze() {
		try (Connection connection = DriverManager.getConnection(PG + this.database, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("analyze");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("analyze " + this.database + ": " + ex.getMessage(), ex);
		}
	}

	/** Stops the JVM at once, as a crash would. */
	public void kill() {
		this.process.destroyForcibly();
		waitForExit();
	}

	@Override
	public void close() {
		this.process.destroy();
		waitForExit();
		// -Dbench.keepDatabases=true keeps them for a look afterwards (drop them by hand)
		if (this.database != null && !Boolean.getBoolean("bench.keepDatabases")) {
			admin("drop database if exists " + this.database + " with (force)");
		}
	}

	private void waitForExit() {
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitHealthy() {
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " did not start; see " + this.log);
			}
			try {
				HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(this.base + "/actuator/health"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			pause(Duration.ofMillis(500));
		}
		throw new IllegalStateException(this.name + " did not become healthy; see " + this.log);
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Path jar() {
		File[] jars = new File("target").listFiles((dir, name) -> name.startsWith("auto-assign-") && name.endsWith(".jar")
				&& !name.endsWith("-sources.jar"));
		if (jars == null || jars.length == 0) {
			throw new IllegalStateException("No target/auto-assign-*.jar: run mvn package first");
		}
		return jars[0].toPath();
	}

	public static void admin(String sql) {
		try (Connection connection = DriverManager.getConnection(PG + "postgres", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

}
