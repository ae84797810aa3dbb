package io.autoassign.reliability;

import java.time.Duration;
import java.util.List;

import io.autoassign.AutoAssignApplication;
import io.autoassign.bench.AppNode;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.invariants.InvariantChecker.Report;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service's own {@link InvariantChecker}, run in this JVM against the database and Redis
 * the nodes under test share. The application context it lives in is passive: no job executor,
 * no routing rebuild at start, a watchdog that does not come round during a run and its own
 * events channel, so it reads the deployment without taking part in it. (A live actuator
 * endpoint for the checker is being added separately; this needs nothing from the nodes.)
 */
final class InProcessChecker implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final InvariantChecker checker;

	private InProcessChecker(ConfigurableApplicationContext context) {
		this.context = context;
		this.checker = context.getBean(InvariantChecker.class);
	}

	static InProcessChecker open(String database, int redisDb) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(AutoAssignApplication.class)
			.profiles("postgres")
			.run("--spring.datasource.url=" + AppNode.PG + database, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--spring.datasource.hikari.maximum-pool-size=4",
					"--spring.data.redis.url=redis://127.0.0.1:6379/" + redisDb,
					"--auto-assign.api-key=" + AppNode.API_KEY,
					"--camunda.bpm.admin-user.password=" + AppNode.ADMIN_PASSWORD,
					"--camunda.bpm.job-execution.enabled=false", "--auto-assign.rebuild-routing-on-start=false",
					"--auto-assign.routing-watchdog-interval=24h", "--auto-assign.events-channel=aa:checker-" + redisDb,
					// only reads: no reconciler (its dispatches would announce on this checker's
					// channel, which no client hears), no retention, no incident retries
					"--auto-assign.reconciler-interval=24h", "--auto-assign.retention.interval=24h",
					"--auto-assign.jobs.recovery-interval=24h", "--auto-assign.webhooks.send=false",
					"--server.port=0", "--logging.level.root=WARN");
		return new InProcessChecker(context);
	}

	Report check(String companyId) {
		return this.checker.check(companyId);
	}

	/**
	 * Checks until the company is consistent or the deadline passes (in-flight work settles
	 * first); answers the last report, consistent or not.
	 */
	Report awaitConsistent(String companyId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Report report = check(companyId);
		while (!report.consistent() && System.nanoTime() < deadline) {
			Waits.pause(Duration.ofSeconds(1));
			report = check(companyId);
		}
		return report;
	}

	static String describe(Report report) {
		List<String> violations = report.violations();
		return report.openChats() + " open, " + report.closedChats() + " closed, " + violations.size()
				+ " violation(s)" + (violations.isEmpty() ? ""
						: ": " + String.join("; ", violations.subList(0, Math.min(20, violations.size()))));
	}

	@Override
	public void close() {
		this.context.close();
	}

}
