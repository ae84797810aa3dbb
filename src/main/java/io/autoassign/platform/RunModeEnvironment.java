package io.autoassign.platform;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Decides between the embedded run and a real deployment before any bean exists.
 * <p>
 * The embedded run (an H2 database inside this process) gets the well-known development
 * credentials documented in the README, so that one command starts a working service, and
 * listens on 127.0.0.1 only unless {@code server.address} says otherwise. H2 in server mode
 * ({@code tcp:}, {@code AUTO_SERVER}) is refused: the company locks on H2 are this JVM's own. Any other database means a real
 * deployment: there the service refuses to start without an API key and an admin password,
 * because a default credential on a reachable server is an open door.
 */
public class RunModeEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String DEV_API_KEY = "local-dev-key";

	static final String DEV_ADMIN_PASSWORD = "admin";

	/** Comma-separated host:port of Redis Cluster masters; overrides AUTO_ASSIGN_REDIS_URL. */
	static final String CLUSTER_NODES_VARIABLE = "AUTO_ASSIGN_REDIS_CLUSTER_NODES";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("spring.datasource.url", "");
		if (url.startsWith("jdbc:h2:") && !embeddedH2(url)) {
			// company locks on H2 are the JVM's own: two nodes on one H2 server would share none
			throw new IllegalStateException("Auto-Assign runs on H2 only embedded in its own process "
					+ "(jdbc:h2:file: or jdbc:h2:mem:, without AUTO_SERVER), not on " + url
					+ "; for a server or several nodes use PostgreSQL (the postgres profile)");
		}
		boolean embedded = url.startsWith("jdbc:h2:");
		Map<String, Object> defaults = new HashMap<>();
		defaults.put("auto-assign.embedded-run", embedded);
		String clusterNodes = environment.getProperty(CLUSTER_NODES_VARIABLE);
		if (StringUtils.hasText(clusterNodes)) {
			// a Redis Cluster: Spring Boot connects to it instead of spring.data.redis.url
			defaults.put("spring.data.redis.cluster.nodes", clusterNodes);
			defaults.put("auto-assign.embedded-redis", false);
		}
		if (embedded && !StringUtils.hasText(environment.getProperty("server.address"))) {
			// the development credentials are well known: reachable from this machine only
			defaults.put("server.address", "127.0.0.1");
		}
		String apiKey = environment.getProperty("auto-assign.api-key");
		String adminPassword = environment.getProperty("camunda.bpm.admin-user.password");
		if (embedded) {
			if (!StringUtils.hasText(apiKey)) {
				defaults.put("auto-assign.api-key", DEV_API_KEY);
			}
			if (!StringUtils.hasText(adminPassword)) {
				defaults.put("camunda.bpm.admin-user.password", DEV_ADMIN_PASSWORD);
			}
		}
		else {
			StringBuilder missing = new StringBuilder();
			if (!StringUtils.hasText(apiKey)) {
				missing.append(" AUTO_ASSIGN_API_KEY (auto-assign.api-key)");
			}
			if (!StringUtils.hasText(adminPassword)) {
				missing.append(" AUTO_ASSIGN_ADMIN_PASSWORD (camunda.bpm.admin-user.password)");
			}
			if (!missing.isEmpty()) {
				throw new IllegalStateException("Auto-Assign refuses to start on " + url
						+ " without credentials; set:" + missing
						+ ". Only the embedded H2 run has development defaults.");
			}
		}
		environment.getPropertySources().addFirst(new MapPropertySource("autoAssignRunMode", defaults));
	}

	/** An H2 database inside this process: a file or memory URL, no server, no automatic server. */
	static boolean embeddedH2(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		boolean server = lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")
				|| lower.contains("auto_server=true");
		return lower.startsWith("jdbc:h2:") && !server;
	}

	@Override
	public int getOrder() {
		// After the config files are read, so their values and the environment variables count.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
