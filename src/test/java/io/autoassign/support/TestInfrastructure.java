package io.autoassign.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives each test run a fresh PostgreSQL database on the machine's server (127.0.0.1:5432 unless
 * AUTO_ASSIGN_TEST_PG says otherwise) and removes it afterwards, so that runs never see each
 * other's data and a changed migration never meets an old schema. Databases left behind by a
 * killed run are removed by a run starting more than three hours later.
 * <p>
 * In a cluster run ({@link TestRedis#clusterMode()}) it also starts a three-master Redis
 * Cluster on loopback ports for the run ({@link RedisClusterServers}) and points every
 * application of the run at it.
 */
public class TestInfrastructure implements LauncherSessionListener {

	public static final String DB_URL_PROPERTY = "AUTO_ASSIGN_TEST_DB_URL";

	private static final String SERVER = env("AUTO_ASSIGN_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/");

	private static final String USER = env("AUTO_ASSIGN_TEST_DB_USER", "postgres");

	private static final String PASSWORD = env("AUTO_ASSIGN_TEST_DB_PASSWORD", "");

	private static String database;

	private static RedisClusterServers cluster;

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		if (TestRedis.clusterMode() && System.getProperty(TestRedis.CLUSTER_NODES_PROPERTY) == null) {
			cluster = RedisClusterServers.start();
			Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-stop"));
			System.setProperty(TestRedis.CLUSTER_NODES_PROPERTY, cluster.nodes());
		}
		if (System.getProperty(DB_URL_PROPERTY) != null) {
			return;
		}
		database = "aa_test_" + System.currentTimeMillis() + "_"
				+ Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000)).toLowerCase(Locale.ROOT);
		try (Connection connection = admin(); Statement statement = connection.createStatement()) {
			dropAbandoned(statement);
			statement.execute("create database " + database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Integration tests need PostgreSQL at " + SERVER + ": " + ex.getMessage(), ex);
		}
		System.setProperty(DB_URL_PROPERTY, SERVER + database);
	}

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		if (database == null) {
			return;
		}
		try (Connection connection = admin(); Statement statement = connection.createStatement()) {
			statement.execute("drop database if exists " + database);
		}
		catch (SQLException ex) {
			// Still in use by a context that is shutting down: the next run removes it.
		}
	}

	/** The run's Redis Cluster, or null when the run uses a single Redis server. */
	public static RedisClusterServers cluster() {
		return cluster;
	}

	public static String databaseUrl() {
		return System.getProperty(DB_URL_PROPERTY);
	}

	private static void dropAbandoned(Statement statement) throws SQLException {
		List<String> abandoned = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery("select datname from pg_database where datname like 'aa\\_test\\_%' "
				+ "and datname not in (select datname from pg_stat_activity where datname is not null)")) {
			while (rs.next()) {
				abandoned.add(rs.getString(1));
			}
		}
		long cutoff = System.currentTimeMillis() - 3 * 60 * 60 * 1000L;
		for (String name : abandoned) {
			String[] parts = name.split("_");
			if (parts.length < 3 || !parts[2].matches("\\d+") || Long.parseLong(parts[2]) > cutoff) {
				continue;
			}
			try {
				statement.execute("drop database if exists " + name);
			}
			catch (SQLException ex) {
				// Another run just started using it.
			}
		}
	}

	private static Connection admin() throws SQLException {
		return DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null || value.isBlank() ? fallback : value;
	}

}
