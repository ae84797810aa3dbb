package io.autoassign.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.assignment.ChatTransitions;
import io.autoassign.assignment.RoutingKeys;
import io.autoassign.assignment.RoutingState;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.lifecycle.ChatLifecycleProcess.QueueOutcome;
import io.autoassign.lifecycle.ChatLifecycleProcess.Variables;
import io.autoassign.queue.QueueDispatcher;
import io.autoassign.security.Role;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.ConfigChanged;
import io.autoassign.settings.SettingsService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Queue escalation: a chat that has waited {@code queueEscalationMinutes} raises the Tasklist
 * task "Assign queued chat", in which an admin picks an eligible agent or takes the chat over.
 * If the chat is assigned automatically first, the task disappears with the queue wait.
 */
@Component
class QueueEscalation {

	/** What the escalation timer waits while escalation is off: it then never fires in practice. */
	static final String NEVER = "P3650D";

	private final SettingsService settings;

	private final ChatStore chats;

	private final AgentService agents;

	private final RoutingState routing;

	private final QueueDispatcher queue;

	private final ChatTransitions transitions;

	private final ObjectMapper json;

	private final Clock clock;

	private final ManagementService management;

	private final ProcessEngineConfigurationImpl engine;

	QueueEscalation(SettingsService settings, ChatStore chats, AgentService agents, RoutingState routing,
			QueueDispatcher queue, ChatTransitions transitions, ObjectMapper json, Clock clock,
			ManagementService management, ProcessEngineConfigurationImpl engine) {
		this.management = management;
		this.engine = engine;
		this.settings = settings;
		this.chats = chats;
		this.agents = agents;
		this.routing = routing;
		this.queue = queue;
		this.transitions = transitions;
		this.json = json;
		this.clock = clock;
	}

	/** How long a chat queued now may wait before an admin is asked (an ISO-8601 duration). */
	String waitBeforeEscalating(String companyId) {
		AutoAssignConfig config = this.settings.get(companyId);
		return config.queueEscalationEnabled() ? Duration.ofMinutes(config.queueEscalationMinutes()).toString() : NEVER;
	}

	/**
	 * The company switched escalation on or off or changed its minutes (in that transaction):
	 * the chats already waiting follow the new setting, each counted from the moment it was queued.
	 */
	@EventListener
	@Order(3)
	void configChanged(ConfigChanged change) {
		AutoAssignConfig before = change.before();
		AutoAssignConfig after = change.after();
		if (!change.created() && (before.queueEscalationEnabled() != after.queueEscalationEnabled()
				|| (after.queueEscalationEnabled() && before.queueEscalationMinutes() != after.queueEscalationMinutes()))) {
			reschedule(change.companyId(), after);
		}
	}

	void reschedule(String companyId, AutoAssignConfig config) {
		// One engine command: the calls inside share its context, so the engine writes every
		// timer's new due date in one flush (one batch) instead of one command per waiting chat.
		this.engine.getCommandExecutorTxRequired().execute((context) -> {
			List<Job> timers = this.management.createJobQuery()
				.tenantIdIn(companyId)
				.activityId(ChatLifecycleProcess.Element.Timer_QueueEscalation.name())
				.list();
			Instant now = this.clock.instant();
			for (Job timer : timers) {
				Instant due;
				if (config.queueEscalationEnabled()) {
					Instant queued = timer.getCreateTime() != null ? timer.getCreateTime().toInstant() : now;
					due = queued.plus(Duration.ofMinutes(config.queueEscalationMinutes()));
				}
				else {
					due = now.plus(Duration.parse(NEVER));
				}
				this.management.setJobDuedate(timer.getId(), Date.from(due));
			}
			return null;
		});
	}

	/** The timer fired: decide whether to ask an admin and load what the form shows. */
	void prepare(DelegateExecution execution) {
		String companyId = execution.getTenantId();
		Chat chat = this.chats.find(companyId, execution.getProcessBusinessKey()).orElseThrow();
		AutoAssignConfig config = this.settings.get(companyId);
		boolean escalate = config.queueEscalationEnabled() && chat.isOpen()
				&& chat.assignmentStatus() == AssignmentStatus.QUEUED;
		Variables.ESCALATE.set(execution, escalate);
		if (!escalate) {
			return;
		}
		Instant now = this.clock.instant();
		Instant since = chat.queuedAt() != null ? chat.queuedAt() : now;
		Variables.CHAT_ID.set(execution, chat.chatId());
		Variables.MEMBER_NAME.set(execution, chat.memberName() != null ? chat.memberName() : chat.memberId());
		Variables.LAST_MESSAGE.set(execution, chat.lastMessageText() != null ? chat.lastMessageText() : "(no message yet)");
		Variables.QUEUED_SINCE.set(execution, since.toString());
		Variables.WAITING_MINUTES.set(execution, Duration.between(since, now).toMinutes());
		List<Map<String, String>> eligible = new ArrayList<>();
		for (String agentId : this.routing.eligible(companyId,
				chat.queuePool() == null ? RoutingKeys.pool(null) : chat.queuePool())) {
			eligible.add(option(agentName(companyId, agentId), agentId));
		}
		List<Map<String, String>> admins = new ArrayList<>();
		for (Agent agent : this.agents.agents(companyId)) {
			if (agent.role() == Role.ADMIN) {
				admins.add(option(agent.name(), agent.agentId()));
			}
		}
		Variables.ELIGIBLE_AGENTS.set(execution, toJson(eligible));
		Variables.COMPANY_ADMINS.set(execution, toJson(admins));
		Variables.DECISION.set(execution,
				eligible.isEmpty() ? ChatLifecycleProcess.DECISION_TAKEOVER : ChatLifecycleProcess.DECISION_ASSIGN);
		Variables.CHOICE_ERROR.remove(execution);
	}

	/** The admin completed the task: assign to the chosen agent or hand the chat to the chosen admin. */
	void apply(DelegateExecution execution) {
		String companyId = execution.getTenantId();
		String chatId = execution.getProcessBusinessKey();
		String decision = Variables.DECISION.get(execution);
		QueueOutcome outcome;
		String error = null;
		if (ChatLifecycleProcess.DECISION_TAKEOVER.equals(decision)) {
			String adminId = Variables.CHOSEN_ADMIN.get(execution);
			Agent admin = adminId == null ? null : this.agents.find(companyId, adminId).orElse(null);
			if (admin == null || admin.role() != Role.ADMIN) {
				outcome = QueueOutcome.INVALID;
				error = "Choose an admin of the company to take the chat over.";
			}
			else {
				this.transitions.takeOver(companyId, chatId, adminId);
				outcome = QueueOutcome.TAKEN_OVER;
			}
		}
		else {
			outcome = this.queue.assignChosen(companyId, chatId, Variables.CHOSEN_AGENT.get(execution))
					? QueueOutcome.ASSIGNED : QueueOutcome.INVALID;
			if (outcome != QueueOutcome.ASSIGNED) {
				error = "That agent cannot take the chat now (not active, at capacity, or outside the chat's group). "
						+ "Choose another agent or take the chat over.";
			}
		}
		if (error != null) {
			Variables.CHOICE_ERROR.set(execution, error);
		}
		Variables.QUEUE_OUTCOME.set(execution, outcome);
	}

	private String agentName(String companyId, String agentId) {
		return this.agents.find(companyId, agentId).map((agent) -> agent.name() + " (" + agentId + ")").orElse(agentId);
	}

	private static Map<String, String> option(String label, String value) {
		Map<String, String> option = new LinkedHashMap<>();
		option.put("label", label);
		option.put("value", value);
		return option;
	}

	private String toJson(Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
