package io.autoassign.platform;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries the incidents that an outage raised (a job whose outage retries ran out, see
 * {@link JobRetries}) as soon as PostgreSQL and Redis both answer again: each gets a new series
 * of outage retries and runs at once. Until then the incidents stay visible in Cockpit. Incidents
 * of any other cause are the operator's.
 */
@Component
class OutageIncidents {

	private static final Logger log = LoggerFactory.getLogger(OutageIncidents.class);

	private final RuntimeService runtime;

	private final ProcessEngineConfigurationImpl engine;

	private final StringRedisTemplate redis;

	private final int retries;

	OutageIncidents(RuntimeService runtime, ProcessEngineConfigurationImpl engine, StringRedisTemplate redis,
			AutoAssignProperties properties, MeterRegistry meters) {
		this.runtime = runtime;
		Gauge.builder("autoassign.jobs.incidents", runtime, (service) -> service.createIncidentQuery().count())
			.description("Open incidents of the engine (a job that failed for good, or an outage longer than its cycle)")
			.register(meters);
		this.engine = engine;
		this.redis = redis;
		// the tries of a whole cycle: the first, then one after each pause
		this.retries = properties.jobs().outageRetryCycle().split(",").length + 1;
	}

	@Scheduled(fixedDelayString = "${auto-assign.jobs.recovery-interval:30s}",
			initialDelayString = "${auto-assign.jobs.recovery-interval:30s}")
	void scheduled() {
		try {
			retry();
		}
		catch (RuntimeException ex) {
			log.debug("Outage incidents not retried yet: {}", ex.toString());
		}
	}

	/**
	 * Once both servers answer, gives every job whose incident an outage raised a new series of
	 * retries, due at once. Returns the ids of those jobs (none while a server does not answer).
	 */
	public List<String> retry() {
		if (!redisAnswers()) {
			return List.of();
		}
		List<String> jobs = this.runtime.createIncidentQuery()
			.incidentType(Incident.FAILED_JOB_HANDLER_TYPE)
			.incidentMessageLike(JobRetries.OUTAGE + "%")
			.list()
			.stream()
			.map(Incident::getConfiguration)
			.toList();
		List<String> retried = new java.util.ArrayList<>();
		for (String jobId : jobs) {
			try {
				boolean reset = this.engine.getCommandExecutorTxRequired().execute((context) -> {
					JobEntity job = context.getJobManager().findJobById(jobId);
					if (job == null || job.getRetries() != 0) {
						return false;
					}
					// resolves the incident; unlocked, the job is acquired at once
					job.setRetries(this.retries);
					job.setLockOwner(null);
					job.setLockExpirationTime(null);
					return true;
				});
				if (reset) {
					retried.add(jobId);
					log.warn("Job {}: the outage that raised its incident is over; retrying it", jobId);
				}
			}
			catch (RuntimeException ex) {
				// another node retried it meanwhile, or a server went away again: next round
				log.debug("Job {} not retried: {}", jobId, ex.toString());
			}
		}
		return retried;
	}

	private boolean redisAnswers() {
		try {
			return "PONG".equalsIgnoreCase(this.redis.execute((RedisCallback<String>) (connection) -> connection.ping()));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
