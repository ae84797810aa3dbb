package io.autoassign.lifecycle;

import java.time.Clock;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.ConfigChanged;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Switching no-reply reassignment on, or changing its minutes, applies to the chats already
 * open: each chat's reply watch (the lifecycle's "Watch replies" branch) looks again at once. A
 * chat whose watch had ended (the feature was off when it was created or looked last) gets it
 * back. While the feature is off, no chat keeps a timer for it.
 */
@Component
class NoReplyWatches {

	private final ChatStore chats;

	private final RuntimeService runtime;

	private final ManagementService management;

	private final RepositoryService repository;

	private final ProcessEngineConfigurationImpl engine;

	private final Clock clock;

	NoReplyWatches(ChatStore chats, RuntimeService runtime, ManagementService management, RepositoryService repository,
			ProcessEngineConfigurationImpl engine, Clock clock) {
		this.repository = repository;
		this.chats = chats;
		this.runtime = runtime;
		this.management = management;
		this.engine = engine;
		this.clock = clock;
	}

	@EventListener
	@Order(4)
	void configChanged(ConfigChanged change) {
		AutoAssignConfig before = change.before();
		AutoAssignConfig after = change.after();
		if (!change.created() && after.noReplyReassignEnabled()
				&& (!before.noReplyReassignEnabled() || before.noReplyMinutes() != after.noReplyMinutes())) {
			watchAgain(change.companyId());
		}
	}

	/** Every open chat of the company (not taken over) looks at its member's wait now, in one engine command. */
	void watchAgain(String companyId) {
		this.engine.getCommandExecutorTxRequired().execute((context) -> {
			Date now = Date.from(this.clock.instant());
			Set<String> watched = new HashSet<>();
			List<Job> timers = this.management.createJobQuery()
				.tenantIdIn(companyId)
				.activityId(ChatLifecycleProcess.Element.Timer_NoReply.name())
				.list();
			for (Job timer : timers) {
				this.management.setJobDuedate(timer.getId(), now);
				watched.add(timer.getProcessInstanceId());
			}
			Map<String, Boolean> watching = new HashMap<>();
			for (Chat chat : this.chats.open(companyId)) {
				if (chat.processInstanceId() == null || watched.contains(chat.processInstanceId())
						|| chat.assignmentStatus() == AssignmentStatus.TAKEN_OVER) {
					continue;
				}
				ProcessInstance instance = this.runtime.createProcessInstanceQuery()
					.processInstanceId(chat.processInstanceId())
					.singleResult();
				// an instance of a version from before the reply watch has none to start
				if (instance != null && watching.computeIfAbsent(instance.getProcessDefinitionId(),
						(id) -> this.repository.getBpmnModelInstance(id)
							.getModelElementById(ChatLifecycleProcess.Element.Gateway_ReplyWatchLoop.name()) != null)) {
					this.runtime.createProcessInstanceModification(chat.processInstanceId())
						.startBeforeActivity(ChatLifecycleProcess.Element.Gateway_ReplyWatchLoop.name())
						.execute(true, true);
				}
			}
			return null;
		});
	}

}
