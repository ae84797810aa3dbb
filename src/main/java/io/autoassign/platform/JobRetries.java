package io.autoassign.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.impl.bpmn.parser.FailedJobRetryConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.cmd.JobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.util.ParseUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * How every job of the engine (timers, async continuations, the helper processes) meets a
 * failure. An outage of PostgreSQL or Redis ({@link Outages}) is ridden out: the job is tried
 * again with growing pauses along {@code auto-assign.jobs.outage-retry-cycle} (about an hour in
 * all by default), and only then raises an incident,
 * which {@link OutageIncidents} retries as soon as both servers answer again. A failure of the
 * code raises an incident at once: trying it again changes nothing, and the operator sees it in
 * Cockpit immediately. An {@link OptimisticLockingException} keeps Camunda's handling (it spends
 * no retry and runs again at once).
 * <p>
 * A job met by an outage carries {@link #OUTAGE} at the start of its exception message (and so
 * does its incident): that is how a series of outage retries is told from a first failure, and
 * how the incidents an outage left are found.
 */
@Component
class JobRetries extends AbstractProcessEnginePlugin {

	/** Starts the exception message of a job (and incident) that an outage made fail. */
	static final String OUTAGE = "Outage (retried automatically): ";

	private static final Logger log = LoggerFactory.getLogger(JobRetries.class);

	private final String outageCycle;

	private final ObjectProvider<MeterRegistry> meters;

	JobRetries(AutoAssignProperties properties, ObjectProvider<MeterRegistry> meters) {
		// (a provider: engine plugins are built before the engine; the registry is looked up at a failure)
		this.outageCycle = properties.jobs().outageRetryCycle();
		this.meters = meters;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		configuration.setFailedJobCommandFactory((jobId, failure) -> command(jobId, failure));
	}

	private Command<Object> command(String jobId, Throwable failure) {
		if (failure instanceof OptimisticLockingException) {
			return new DefaultJobRetryCmd(jobId, failure);
		}
		if (Outages.infrastructure(failure)) {
			count("retried");
			return new OutageRetry(jobId, failure, this.outageCycle);
		}
		count("incident");
		return new IncidentNow(jobId, failure);
	}

	/** The failure counters exist from the start (at zero), so that dashboards find them. */
	@EventListener(ApplicationReadyEvent.class)
	void registerCounters() {
		this.meters.ifAvailable((registry) -> {
			failures(registry, "retried");
			failures(registry, "incident");
		});
	}

	/** A job failure by how it is handled: retried after a pause (an outage) or an incident at once. */
	private void count(String handling) {
		this.meters.ifAvailable((registry) -> failures(registry, handling).increment());
	}

	private static Counter failures(MeterRegistry registry, String handling) {
		return Counter.builder("autoassign.jobs.failed")
			.description("Failed job executions, by handling: retried after a pause (an outage) or an incident at once")
			.tag("handling", handling)
			.register(registry);
	}

	/**
	 * Retries along the outage cycle, whatever the job's element says (and for jobs of no element
	 * too); a new series after any other failure.
	 */
	private static final class OutageRetry extends DefaultJobRetryCmd {

		private final String cycle;

		OutageRetry(String jobId, Throwable failure, String cycle) {
			super(jobId, failure);
			this.cycle = cycle;
		}

		@Override
		public Object execute(CommandContext context) {
			try {
				executeCustomStrategy(context, getJob(), null);
			}
			catch (Exception ex) {
				executeStandardStrategy(context);
			}
			return null;
		}

		@Override
		public FailedJobRetryConfiguration getFailedJobRetryConfiguration(JobEntity job, ActivityImpl activity) {
			return ParseUtil.parseRetryIntervals(this.cycle);
		}

		@Override
		protected boolean isFirstJobExecution(JobEntity job) {
			return job.getExceptionMessage() == null || !job.getExceptionMessage().startsWith(OUTAGE);
		}

		@Override
		protected void logException(JobEntity job) {
			super.logException(job);
			job.setExceptionMessage(OUTAGE
					+ (job.getExceptionMessage() != null ? job.getExceptionMessage() : this.exception.toString()));
			log.warn("Job {} ({}) met an outage: {}", job.getId(), job.getActivityId(), this.exception.toString());
		}

	}

	/** Raises the incident at once. */
	private static final class IncidentNow extends JobRetryCmd {

		IncidentNow(String jobId, Throwable failure) {
			super(jobId, failure);
		}

		@Override
		public Object execute(CommandContext context) {
			JobEntity job = getJob();
			if (job != null) {
				job.unlock();
				logException(job);
				job.setRetries(0);
				notifyAcquisition(context);
			}
			return null;
		}

	}

}
