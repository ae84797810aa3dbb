package io.autoassign.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own (own data directory under /tmp, free loopback port,
 * trust authentication), which the test may stop and start, unlike the machine's shared one.
 * PostgreSQL refuses to run as root, so as root its commands run as the {@code postgres} user.
 * The binaries are taken from {@code AUTO_ASSIGN_TEST_PG_BIN} (default
 * {@code /usr/lib/postgresql/15/bin}).
 */
public final class PrivatePostgres implements AutoCloseable {

	private static final String BIN = System.getenv().getOrDefault("AUTO_ASSIGN_TEST_PG_BIN",
			"/usr/lib/postgresql/15/bin");

	private final int port;

	private final String dataDir;

	public PrivatePostgres() throws IOException, InterruptedException {
		this.port = PrivateRedis.freePort();
		this.dataDir = run(List.of("mktemp", "-d", "/tmp/aa-rel-pg.XXXXXX")).trim();
		run(List.of(BIN + "/initdb", "-D", this.dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"));
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	public void start() throws IOException, InterruptedException {
		run(List.of(BIN + "/pg_ctl", "-D", this.dataDir, "-l", this.dataDir + "/server.log", "-w", "-t", "120", "-o",
				"-p " + this.port + " -k " + this.dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
						+ " -c max_connections=100",
				"start"));
	}

	/** Stops the server in fast mode: open transactions roll back, connections are cut. */
	public void stopFast() throws IOException, InterruptedException {
		run(List.of(BIN + "/pg_ctl", "-D", this.dataDir, "-m", "fast", "-w", "-t", "120", "stop"));
	}

	@Override
	public void close() throws IOException, InterruptedException {
		try {
			run(List.of(BIN + "/pg_ctl", "-D", this.dataDir, "status"));
			stopFast();
		}
		catch (IOException ex) {
			// not running
		}
		run(List.of("rm", "-rf", this.dataDir));
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		List<String> full = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException(String.join(" ", full) + " failed: " + output);
		}
		return output;
	}

}
