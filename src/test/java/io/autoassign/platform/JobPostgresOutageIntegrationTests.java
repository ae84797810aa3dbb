package io.autoassign.platform;

import java.io.IOException;
import java.time.Duration;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.reliability.PrivatePostgres;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL restarts while one job of each kind falls due (see {@link OutageScenarios}). While
 * it is down no job can even be fetched, so none spends a retry or raises an incident; once it is
 * back, with the engine clock moved on, every chat ends where it would have without the outage.
 * The service runs on a PostgreSQL server of this test's own, which the test stops and starts.
 */
@IntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JobPostgresOutageIntegrationTests {

	static final PrivatePostgres POSTGRES = startPostgres();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", POSTGRES::jdbcUrl);
		registry.add("spring.datasource.username", () -> "postgres");
	}

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	InvariantChecker invariants;

	@AfterAll
	static void removePostgres() throws Exception {
		POSTGRES.close();
	}

	@AfterEach
	void resetClock() {
		this.engine.resetClock();
	}

	@Test
	void everyKindOfJobThatFallsDueDuringAPostgresRestartEndsWhereItWouldHaveOnceItIsBack() throws Exception {
		OutageScenarios scenarios = new OutageScenarios(this.api, this.engine, this.processEngine, this.invariants);

		POSTGRES.stopFast();
		this.engine.advance(Duration.ofMinutes(31));
		for (int minute = 0; minute < 5; minute++) {
			assertThatThrownBy(scenarios::runJobs).as("nothing runs while PostgreSQL is down")
				.isInstanceOf(RuntimeException.class);
			this.engine.advance(Duration.ofMinutes(1));
		}

		POSTGRES.start();
		for (int round = 0; round < 6; round++) {
			scenarios.runJobs();
			this.engine.advance(Duration.ofMinutes(10));
		}
		assertThat(scenarios.failedJobs()).isEmpty();
		assertThat(scenarios.incidents()).isEmpty();
		scenarios.assertEndedAsWithoutTheOutage();
	}

	private static PrivatePostgres startPostgres() {
		try {
			PrivatePostgres postgres = new PrivatePostgres();
			postgres.start();
			return postgres;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
