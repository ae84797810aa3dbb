package io.autoassign.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

import io.autoassign.chat.ChatStore;
import io.autoassign.hours.OpeningHours;
import io.autoassign.lifecycle.BusinessHoursProcess.Variables;
import io.autoassign.queue.QueueProcesses;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.ConfigChanged;
import io.autoassign.settings.SettingsService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Keeps each company's business-hours process ({@link BusinessHoursProcess}) in step with its
 * configuration, and is the process's step "Dispatch the queue if the team works".
 * <p>
 * Routing itself reads the hours at each decision ({@link AutoAssignConfig#openAt}): outside
 * them a chat is queued and the queue is not dispatched. So the process only has to start the
 * dispatch at each opening; a change of the hours applies to the next decision at once, and
 * starts the process again (the timer moves, and a queue the new hours open is dispatched).
 */
@Component("openQueue")
class BusinessHoursSchedule implements JavaDelegate {

	private static final Logger log = LoggerFactory.getLogger(BusinessHoursSchedule.class);

	private final SettingsService settings;

	private final QueueProcesses processes;

	private final ChatStore chats;

	private final RuntimeService runtime;

	private final Clock clock;

	private final CompanyLocks locks;

	private final Transactions transactions;

	BusinessHoursSchedule(SettingsService settings, QueueProcesses processes, ChatStore chats, RuntimeService runtime,
			Clock clock, CompanyLocks locks, Transactions transactions) {
		this.locks = locks;
		this.transactions = transactions;
		this.settings = settings;
		this.processes = processes;
		this.chats = chats;
		this.runtime = runtime;
		this.clock = clock;
	}

	/**
	 * The hours changed (in the transaction of the change, the company's lock held exclusively):
	 * the company's process starts again with them, or ends when they are off.
	 */
	@EventListener
	@Order(3)
	void configChanged(ConfigChanged change) {
		if (change.after().hoursDifferFrom(change.before())) {
			restart(change.companyId(), change.after().businessHoursEnabled());
		}
	}

	/**
	 * At start: every company whose business hours are on gets its process back if none runs (an
	 * operator cancelled it in Cockpit, or it was lost otherwise), so that no opening goes by
	 * without its timer. Each company under its exclusive lock, so that nodes starting together
	 * start it once.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void ensureRunning() {
		for (String companyId : this.settings.companyIds()) {
			try {
				this.transactions.retrying(() -> ensure(companyId));
			}
			catch (RuntimeException ex) {
				log.warn("Could not check the business-hours process of company {}: {}", companyId, ex.toString());
			}
		}
	}

	/** Starts the company's business-hours process when its hours are on and none runs; answers whether it did. */
	boolean ensure(String companyId) {
		AutoAssignConfig config = this.settings.find(companyId).orElse(null);
		if (config == null || !config.businessHoursEnabled()) {
			return false;
		}
		this.locks.exclusive(companyId);
		if (running(companyId) > 0) {
			return false;
		}
		log.info("Company {}: its business-hours process was not running; started again", companyId);
		restart(companyId, true);
		return true;
	}

	private long running(String companyId) {
		return this.runtime.createProcessInstanceQuery()
			.processDefinitionKey(BusinessHoursProcess.KEY)
			.processInstanceBusinessKey(companyId)
			.count();
	}

	/** Ends the company's business-hours process, if it runs, and starts it again (or dispatches, when off). */
	void restart(String companyId, boolean enabled) {
		for (ProcessInstance instance : this.runtime.createProcessInstanceQuery()
			.processDefinitionKey(BusinessHoursProcess.KEY)
			.processInstanceBusinessKey(companyId)
			.list()) {
			this.runtime.deleteProcessInstance(instance.getId(), "The business hours changed", true, true);
		}
		if (enabled) {
			this.runtime.createProcessInstanceByKey(BusinessHoursProcess.KEY)
				.businessKey(companyId)
				.setVariables(Variables.COMPANY_ID.putInto(org.camunda.bpm.engine.variable.Variables.createVariables(),
						companyId))
				.execute();
		}
		else if (!this.chats.queued(companyId, 1).isEmpty()) {
			// chats that waited for the opening may go now
			this.processes.startDispatch(companyId);
		}
	}

	/** Task_OpenQueue: dispatches the queue when the team works; sets hoursEnabled and nextOpening. */
	@Override
	public void execute(DelegateExecution execution) {
		String companyId = execution.getTenantId();
		AutoAssignConfig config = this.settings.get(companyId);
		Instant now = this.clock.instant();
		if (config.openAt(now) && !this.chats.queued(companyId, 1).isEmpty()) {
			this.processes.startDispatch(companyId);
		}
		Instant next = null;
		if (config.businessHoursEnabled()) {
			OpeningHours hours = config.openingHours();
			boolean open = hours.isOpen(now);
			Instant closed = open ? hours.closesAt(now) : now;
			next = closed == null ? null : hours.opensAt(closed);
			if (next == null && open) {
				log.info("Company {}: open without a break for a year; no opening to wait for", companyId);
			}
			else if (next == null) {
				log.info("Company {}: no opening within a year; its queue waits for a change of its business hours",
						companyId);
			}
		}
		Variables.HOURS_ENABLED.set(execution, config.businessHoursEnabled());
		Variables.NEXT_OPENING.set(execution, next == null ? null : Date.from(next));
	}

}
