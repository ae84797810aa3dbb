package io.autoassign.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Drives the engine in tests: the job executor is off, so timers and async continuations run
 * when a test says so, and time moves when a test moves it.
 */
public class Engine {

	private final ProcessEngine engine;

	Engine(ProcessEngine engine) {
		this.engine = engine;
	}

	public ProcessEngine processEngine() {
		return this.engine;
	}

	public RuntimeService runtime() {
		return this.engine.getRuntimeService();
	}

	public ManagementService management() {
		return this.engine.getManagementService();
	}

	/** Runs the company's due jobs, including those they create, until none is due. */
	public int runDueJobs(String companyId) {
		int executed = 0;
		for (int round = 0; round < 1000; round++) {
			List<Job> due = this.engine.getManagementService()
				.createJobQuery()
				.tenantIdIn(companyId)
				.executable()
				.list();
			if (due.isEmpty()) {
				return executed;
			}
			for (Job job : due) {
				this.engine.getManagementService().executeJob(job.getId());
				executed++;
			}
		}
		throw new IllegalStateException("Jobs of " + companyId + " keep becoming due");
	}

	/**
	 * Runs the company's jobs as the job executor acquires them: due (a job that failed waits for
	 * its retry pause as a later due date), with retries left and not locked, including those they create,
	 * until none is left; a job's failure is left to the engine's retry handling, as the job
	 * executor leaves it. Returns how many jobs ran, failed ones included.
	 */
	public int runAcquirableJobs(String companyId) {
		int executed = 0;
		for (int round = 0; round < 100; round++) {
			java.util.Date now = ClockUtil.getCurrentTime();
			List<Job> due = this.engine.getManagementService()
				.createJobQuery()
				.tenantIdIn(companyId)
				.executable()
				.list()
				.stream()
				.filter((job) -> {
					java.util.Date lock = ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) job)
						.getLockExpirationTime();
					return lock == null || !lock.after(now);
				})
				.toList();
			if (due.isEmpty()) {
				return executed;
			}
			for (Job job : due) {
				try {
					this.engine.getManagementService().executeJob(job.getId());
				}
				catch (RuntimeException failure) {
					// recorded on the job by the engine's failed-job handling
				}
				executed++;
			}
		}
		throw new IllegalStateException("Jobs of " + companyId + " keep becoming acquirable");
	}

	/** Moves the engine clock (which the whole service reads) forward. */
	public void advance(Duration duration) {
		ClockUtil.setCurrentTime(Date.from(now().plus(duration)));
	}

	/** Sets the engine clock (which the whole service reads); {@link #resetClock} goes back. */
	public void setNow(Instant instant) {
		ClockUtil.setCurrentTime(Date.from(instant));
	}

	/**
	 * Sets the engine clock to a Monday at {@code hour}:00 UTC at least a week ahead (ahead, so
	 * that nothing the service stamped with the real time lies in the clock's future); answers it.
	 */
	public Instant setToAMondayAhead(int hour) {
		Instant monday = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
			.plusDays(7)
			.with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.MONDAY))
			.atTime(hour, 0)
			.toInstant(java.time.ZoneOffset.UTC);
		setNow(monday);
		return monday;
	}

	public Instant now() {
		return ClockUtil.getCurrentTime().toInstant();
	}

	/** Back to real time. */
	public void resetClock() {
		ClockUtil.reset();
	}

}
