package io.autoassign.lifecycle;

import io.autoassign.assignment.Router;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.ConfigChanged;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What a configuration change means for routing, in the same transaction (the company's lock
 * is held exclusively): the capacity in Redis follows at once, and when auto-assign was
 * switched on or capacity raised, the queued and pending chats are dispatched; the escalation
 * timers of the chats already waiting follow a changed queue escalation.
 */
@Component
class ConfigChangeHandler {

	private final Router router;

	private final ChatProcesses processes;

	private final QueueEscalation escalation;

	ConfigChangeHandler(Router router, ChatProcesses processes, QueueEscalation escalation) {
		this.router = router;
		this.processes = processes;
		this.escalation = escalation;
	}

	@EventListener
	void configChanged(ConfigChanged change) {
		AutoAssignConfig before = change.before();
		AutoAssignConfig after = change.after();
		if (change.created()) {
			// A new company has nothing to rebuild: its routing state starts empty.
			this.router.initCompany(change.companyId(), after.capacity());
			return;
		}
		if (before.capacity() != after.capacity()) {
			this.router.syncConfig(change.companyId(), after.capacity());
		}
		if ((after.enabled() && !before.enabled()) || (after.enabled() && after.raisesCapacityOver(before))) {
			this.processes.startDispatch(change.companyId());
		}
		if (before.queueEscalationEnabled() != after.queueEscalationEnabled()
				|| (after.queueEscalationEnabled() && before.queueEscalationMinutes() != after.queueEscalationMinutes())) {
			this.escalation.reschedule(change.companyId(), after);
		}
	}

}
