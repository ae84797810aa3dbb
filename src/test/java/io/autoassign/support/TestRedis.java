package io.autoassign.support;

import java.net.URI;
import java.util.Arrays;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The Redis the tests use: the machine's server, database 1 (AUTO_ASSIGN_TEST_REDIS_URL says
 * otherwise), or, in a cluster run ({@code mvn -Predis-cluster test}), the three-master
 * Redis Cluster that {@link TestInfrastructure} started for the run.
 */
public final class TestRedis {

	/** Set (by the redis-cluster profile, or by hand) to run the tests on a Redis Cluster. */
	public static final String CLUSTER_MODE_PROPERTY = "auto-assign.test.redis-cluster";

	/**
	 * Where a cluster run names its masters: the variable an operator sets (read here as a system
	 * property, which the applications' environment reads as well).
	 */
	public static final String CLUSTER_NODES_PROPERTY = "AUTO_ASSIGN_REDIS_CLUSTER_NODES";

	private TestRedis() {
	}

	public static boolean clusterMode() {
		return Boolean.parseBoolean(System.getProperty(CLUSTER_MODE_PROPERTY,
				System.getenv().getOrDefault("AUTO_ASSIGN_TEST_REDIS_CLUSTER", "false")));
	}

	/** A started connection factory on the tests' Redis; the caller destroys it. */
	public static JedisConnectionFactory factory() {
		String nodes = System.getProperty(CLUSTER_NODES_PROPERTY);
		JedisConnectionFactory factory;
		if (nodes != null && !nodes.isBlank()) {
			factory = new JedisConnectionFactory(new RedisClusterConfiguration(Arrays.asList(nodes.split(","))));
		}
		else {
			URI uri = URI.create(System.getenv().getOrDefault("AUTO_ASSIGN_TEST_REDIS_URL", "redis://127.0.0.1:6379/1"));
			RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
			String path = uri.getPath();
			configuration.setDatabase(path == null || path.length() < 2 ? 0 : Integer.parseInt(path.substring(1)));
			factory = new JedisConnectionFactory(configuration);
		}
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
