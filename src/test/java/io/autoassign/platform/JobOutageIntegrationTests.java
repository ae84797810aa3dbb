package io.autoassign.platform;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.reliability.PrivateRedis;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stops while one job of each kind falls due (menu timeout, offline grace, inactivity
 * auto-close, queue escalation, a re-balance, a queue dispatch). The jobs are run as the job
 * executor acquires them, the engine clock moved on: they fail, wait, fail again with growing
 * pauses, and raise no incident for as long as the outage retry cycle lasts; when Redis is back
 * (empty, as a restarted Redis is) every chat ends where it would have without the outage. An
 * outage longer than the cycle raises incidents, visible meanwhile, retried as soon as Redis
 * answers again.
 * <p>
 * The service runs on a Redis of this test's own, which the test stops and starts.
 */
@IntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JobOutageIntegrationTests {

	/** Camunda's own handling: three tries at once, then an incident. */
	static final int DEFAULT_TRIES = 3;

	static final PrivateRedis REDIS = startRedis();

	static boolean redisUp = true;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", REDIS::url);
	}

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	OutageIncidents outageIncidents;

	@AfterAll
	static void stopRedis() throws InterruptedException {
		REDIS.stop();
	}

	@BeforeEach
	void redisRunning() throws IOException {
		if (!redisUp) {
			REDIS.start();
			redisUp = true;
		}
	}

	@AfterEach
	void resetClock() {
		this.engine.resetClock();
	}

	@Test
	void everyKindOfJobThatFallsDueDuringARedisOutageEndsWhereItWouldHaveOnceRedisIsBack() throws Exception {
		OutageScenarios scenarios = new OutageScenarios(this.api, this.engine, this.processEngine, this.invariants);

		stopRedisServer();
		this.engine.advance(Duration.ofMinutes(31));
		scenarios.runJobs();
		List<Job> failed = scenarios.failedJobs();
		// menu timeout, grace, auto-close, re-balance and dispatch need Redis (escalation may not)
		assertThat(failed).hasSizeGreaterThanOrEqualTo(5);
		assertThat(failed).allSatisfy((job) -> {
			assertThat(job.getExceptionMessage()).startsWith(JobRetries.OUTAGE);
			assertThat(job.getRetries()).isGreaterThan(DEFAULT_TRIES);
		});

		// longer than Camunda's default handling would last (it raised the incident at once)
		for (int minute = 0; minute < 20; minute++) {
			this.engine.advance(Duration.ofMinutes(1));
			scenarios.runJobs();
		}
		assertThat(scenarios.failedJobs()).as("still failing, not given up").hasSameSizeAs(failed);
		assertThat(scenarios.incidents()).isEmpty();

		startRedisServer();
		for (int round = 0; round < 6 && !scenarios.failedJobs().isEmpty(); round++) {
			this.engine.advance(Duration.ofMinutes(10));
			scenarios.runJobs();
		}
		assertThat(scenarios.failedJobs()).isEmpty();
		assertThat(scenarios.incidents()).isEmpty();
		scenarios.assertEndedAsWithoutTheOutage();
	}

	@Test
	void anOutageLongerThanTheRetryCycleLeavesAVisibleIncidentThatIsRetriedWhenRedisAnswers() throws Exception {
		String company = Api.newCompany();
		CompanySetup setup = new CompanySetup(this.api);
		setup.config(company, Map.of("autoMenuEnabled", true, "menuTimeoutMinutes", 5));
		setup.agent(company, "o");
		setup.chat(company, "c1");

		stopRedisServer();
		Instant outageStart = this.engine.now();
		this.engine.advance(Duration.ofMinutes(5).plusSeconds(1));
		for (int step = 0; step < 40 && incidents(company).isEmpty(); step++) {
			this.engine.runAcquirableJobs(company);
			this.engine.advance(Duration.ofMinutes(5));
		}
		List<Incident> incidents = incidents(company);
		assertThat(incidents).singleElement()
			.satisfies((incident) -> assertThat(incident.getIncidentMessage()).startsWith(JobRetries.OUTAGE));
		// the promised ride-out (README: at least 50 minutes)
		assertThat(Duration.between(outageStart, this.engine.now())).isGreaterThan(Duration.ofMinutes(50));
		assertThat(this.outageIncidents.retry()).as("Redis does not answer yet").isEmpty();
		assertThat(incidents(company)).hasSize(1);

		startRedisServer();
		assertThat(this.outageIncidents.retry()).containsExactly(incidents.get(0).getConfiguration());
		assertThat(incidents(company)).isEmpty();
		// (the first try may find Redis's routing state not rebuilt yet: it waits a pause)
		for (int step = 0; step < 10 && setup.view(company, "c1").text("assignedAgentId") == null; step++) {
			this.engine.runAcquirableJobs(company);
			this.engine.advance(Duration.ofMinutes(1));
		}

		assertThat(setup.view(company, "c1").text("assignedAgentId")).isEqualTo("o");
		assertThat(incidents(company)).isEmpty();
		assertThat(this.invariants.check(company).violations()).isEmpty();
	}

	private List<Incident> incidents(String company) {
		return this.processEngine.getRuntimeService().createIncidentQuery().tenantIdIn(company).list();
	}

	private void stopRedisServer() throws InterruptedException {
		REDIS.stop();
		redisUp = false;
	}

	private void startRedisServer() throws IOException {
		REDIS.start();
		redisUp = true;
	}

	private static PrivateRedis startRedis() {
		try {
			PrivateRedis redis = new PrivateRedis();
			redis.start();
			return redis;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
