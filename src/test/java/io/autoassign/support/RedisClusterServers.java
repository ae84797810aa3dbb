package io.autoassign.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters (no replicas) on free loopback ports, started by the test
 * run itself ({@code redis-server --cluster-enabled yes} three times, then
 * {@code redis-cli --cluster create}). A master may be stopped and started again: it comes back
 * empty (no snapshot, no append-only file) but still owning its slots (its cluster
 * configuration file is kept), as a master without persistence does after a restart. The
 * cluster keeps answering for the other masters' slots meanwhile
 * ({@code cluster-require-full-coverage no}).
 */
public final class RedisClusterServers implements AutoCloseable {

	private static final int MASTERS = 3;

	private final Path directory;

	private final List<Integer> ports = new ArrayList<>();

	private final Process[] processes = new Process[MASTERS];

	private RedisClusterServers(Path directory) {
		this.directory = directory;
	}

	/** Starts three masters and joins them into one cluster; waits until it answers. */
	public static RedisClusterServers start() {
		try {
			RedisClusterServers cluster = new RedisClusterServers(Files.createTempDirectory("aa-redis-cluster-"));
			for (int i = 0; i < MASTERS; i++) {
				cluster.ports.add(freePortWithBus(cluster.ports));
				cluster.startNode(i);
			}
			cluster.create();
			return cluster;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a Redis Cluster (redis-server and redis-cli needed)", ex);
		}
	}

	/** The masters as {@code spring.data.redis.cluster.nodes} wants them: host:port,... */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/** The port of the master that serves {@code key}'s slot. */
	public int portOf(String key) {
		for (int port : this.ports) {
			try (Jedis jedis = new Jedis("127.0.0.1", port)) {
				long slot = jedis.clusterKeySlot(key);
				for (Object range : jedis.clusterSlots()) {
					List<?> entry = (List<?>) range;
					if ((Long) entry.get(0) <= slot && slot <= (Long) entry.get(1)) {
						List<?> master = (List<?>) entry.get(2);
						return ((Long) master.get(1)).intValue();
					}
				}
			}
			catch (RuntimeException ex) {
				// this master is down; ask the next
			}
		}
		throw new IllegalStateException("No master answers for the slot of " + key);
	}

	/** Stops the master on {@code port} (SIGTERM) and waits for its exit. */
	public void stop(int port) throws InterruptedException {
		Process process = this.processes[this.ports.indexOf(port)];
		if (process != null && process.isAlive()) {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

	/** Starts the master on {@code port} again, empty, and waits until the cluster is whole. */
	public void restart(int port) throws IOException {
		startNode(this.ports.indexOf(port));
		awaitClusterOk();
	}

	@Override
	public void close() {
		for (Process process : this.processes) {
			if (process != null && process.isAlive()) {
				process.destroy();
			}
		}
		for (Process process : this.processes) {
			try {
				if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void startNode(int index) throws IOException {
		int port = this.ports.get(index);
		File log = this.directory.resolve("redis-" + port + ".log").toFile();
		this.processes[index] = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--protected-mode", "no", "--cluster-enabled", "yes", "--cluster-config-file",
				this.directory.resolve("nodes-" + port + ".conf").toString(), "--cluster-node-timeout", "2000",
				"--cluster-require-full-coverage", "no", "--save", "", "--appendonly", "no", "--dir",
				this.directory.toString()))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
			.start();
		await("redis-server on port " + port).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> {
				try (Jedis jedis = new Jedis("127.0.0.1", port)) {
					return "PONG".equals(jedis.ping());
				}
			});
	}

	private void create() throws IOException {
		List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		this.ports.forEach((port) -> command.add("127.0.0.1:" + port));
		command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("create.log").toFile()))
			.start();
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException("redis-cli --cluster create failed; see " + this.directory.resolve("create.log"));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while creating the cluster", ex);
		}
		awaitClusterOk();
	}

	private void awaitClusterOk() {
		await("Redis Cluster state ok on every master").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> {
				for (int port : this.ports) {
					try (Jedis jedis = new Jedis("127.0.0.1", port)) {
						String info = jedis.clusterInfo();
						if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + MASTERS)
								|| !info.contains("cluster_slots_ok:16384")) {
							return false;
						}
					}
				}
				return true;
			});
	}

	/** A free port whose cluster bus port (+10000) is free as well. */
	private static int freePortWithBus(List<Integer> taken) throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			if (port + 10000 > 65535 || taken.contains(port)) {
				continue;
			}
			try (ServerSocket bus = new ServerSocket(port + 10000)) {
				return port;
			}
			catch (IOException busTaken) {
				// try another
			}
		}
		throw new IOException("No free port pair for a cluster node");
	}

}
