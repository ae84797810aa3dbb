package io.autoassign.platform;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a job meets each kind of failure: an outage (Redis or PostgreSQL unreachable, a server
 * shutting down) is tried again after a pause that grows, without an incident; a failure of the
 * code raises its incident at the first failure.
 */
@IntegrationTest
class JobRetriesIntegrationTests {

	static final String PROCESS = "job-retries-probe";

	/** The pauses of the default outage retry cycle. */
	static final int PAUSES = 14;

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	Engine engine;

	Deployment deployment;

	@BeforeEach
	void deploy() {
		BpmnModelInstance model = Bpmn.createExecutableProcess(PROCESS)
			.camundaHistoryTimeToLive(1)
			.startEvent()
			.serviceTask("Task_Fail")
			.camundaAsyncBefore()
			.camundaClass(Failing.class.getName())
			.endEvent()
			.done();
		this.deployment = this.processEngine.getRepositoryService()
			.createDeployment()
			.addModelInstance(PROCESS + ".bpmn", model)
			.deploy();
	}

	@AfterEach
	void undeploy() {
		this.engine.resetClock();
		this.processEngine.getRepositoryService().deleteDeployment(this.deployment.getId(), true);
	}

	@Test
	void aFailureOfTheCodeRaisesItsIncidentAtTheFirstFailure() {
		Job job = failOnce("code");
		assertThat(job.getRetries()).isZero();
		assertThat(job.getExceptionMessage()).isEqualTo("a bug").doesNotStartWith(JobRetries.OUTAGE);
		assertThat(this.processEngine.getRuntimeService()
			.createIncidentQuery()
			.processInstanceId(job.getProcessInstanceId())
			.list()).singleElement().satisfies((incident) -> assertThat(incident.getIncidentMessage()).isEqualTo("a bug"));
	}

	@Test
	void anOutageIsTriedAgainAfterPausesThatGrowWithoutAnIncident() {
		for (String kind : new String[] { "redis", "postgres", "shutdown" }) {
			Job job = failOnce(kind);
			assertThat(job.getExceptionMessage()).as(kind).startsWith(JobRetries.OUTAGE);
			// one try per pause of the default cycle (14) left
			assertThat(job.getRetries()).as(kind).isEqualTo(PAUSES);
			assertThat(pausedFor(job)).as(kind).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(1));
			assertThat(this.processEngine.getRuntimeService()
				.createIncidentQuery()
				.processInstanceId(job.getProcessInstanceId())
				.list()).as(kind).isEmpty();
		}
		// the pauses grow: 5 s, 10 s, 30 s, 1 min, ... (Camunda's list form of the retry cycle)
		Job job = failOnce("redis");
		Duration previous = Duration.ZERO;
		for (int attempt = 0; attempt < 6; attempt++) {
			Duration pause = pausedFor(job);
			assertThat(pause).isGreaterThanOrEqualTo(previous);
			previous = pause;
			this.engine.advance(pause.plusSeconds(1));
			job = run(job);
		}
		assertThat(previous).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
		assertThat(job.getRetries()).isEqualTo(PAUSES - 6);
	}

	@Test
	void aCodeFailureAfterAnOutageStillRaisesItsIncidentAtOnce() {
		Job job = failOnce("redis");
		this.processEngine.getRuntimeService().setVariable(job.getProcessInstanceId(), "failure", "code");
		this.engine.advance(pausedFor(job).plusSeconds(1));
		job = run(job);
		assertThat(job.getRetries()).isZero();
		assertThat(job.getExceptionMessage()).isEqualTo("a bug");
	}

	/** Starts the probe with the failure to raise, runs its job once; answers the job after. */
	private Job failOnce(String failure) {
		String instance = this.processEngine.getRuntimeService()
			.startProcessInstanceByKey(PROCESS, Map.of("failure", failure))
			.getId();
		return run(this.processEngine.getManagementService().createJobQuery().processInstanceId(instance).singleResult());
	}

	/** Runs the job once, as the job executor would (its failure is the engine's to handle). */
	private Job run(Job job) {
		try {
			this.processEngine.getManagementService().executeJob(job.getId());
		}
		catch (RuntimeException expected) {
			// every probe fails
		}
		return this.processEngine.getManagementService().createJobQuery().jobId(job.getId()).singleResult();
	}

	/** How long the job waits before its next try (its due date, moved on by the failure). */
	private Duration pausedFor(Job job) {
		assertThat(job.getDuedate()).isNotNull();
		return Duration.between(this.engine.now(), job.getDuedate().toInstant());
	}

	/** Throws the failure the instance names. */
	public static class Failing implements JavaDelegate {

		@Override
		public void execute(DelegateExecution execution) {
			switch ((String) execution.getVariable("failure")) {
				case "redis" -> throw new RedisConnectionFailureException("Unable to connect to Redis");
				case "postgres" -> throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
				case "shutdown" -> throw new IllegalStateException("flush failed",
						new SQLException("terminating connection due to administrator command", "57P01"));
				default -> throw new IllegalStateException("a bug");
			}
		}

	}

}
