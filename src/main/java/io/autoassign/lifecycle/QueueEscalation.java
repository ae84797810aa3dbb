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
import io.autoassign.agent.Role;
import io.autoassign.assignment.Placements;
import io.autoassign.assignment.RoutingKeys;
import io.autoassign.assignment.RoutingState;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.spin.plugin.variable.SpinValues;

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

	/** Form variables. */
	static final String DECISION = "decision";

	static final String CHOSEN_AGENT = "agentId";

	static final String CHOSEN_ADMIN = "adminId";

	static final String CHOICE_ERROR = "choiceError";

	private final SettingsService settings;

	private final ChatStore chats;

	private final AgentService agents;

	private final RoutingState routing;

	private final Placements placements;

	private final ChatTransitions transitions;

	private final ObjectMapper json;

	private final Clock clock;

	private final ManagementService management;

	private final ProcessEngineConfigurationImpl engine;

	QueueEscalation(SettingsService settings, ChatStore chats, AgentService agents, RoutingState routing,
			Placements placements, ChatTransitions transitions, ObjectMapper json, Clock clock,
			ManagementService management, ProcessEngineConfigurationImpl engine) {
		this.management = management;
		this.engine = engine;
		this.settings = settings;
		this.chats = chats;
		this.agents = agents;
		this.routing = routing;
		this.placements = placements;
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
	 * The company switched escalation on or off or changed its minutes: the chats already
	 * waiting follow the new setting, each counted from the moment it was queued.
	 */
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
		execution.setVariable(ChatLifecycleProcess.Variables.ESCALATE, Variables.booleanValue(escalate, true));
		if (!escalate) {
			return;
		}
		Instant now = this.clock.instant();
		Instant since = chat.queuedAt() != null ? chat.queuedAt() : now;
		execution.setVariable("chatId", chat.chatId());
		execution.setVariable("memberName", chat.memberName() != null ? chat.memberName() : chat.memberId());
		execution.setVariable("lastMessage", chat.lastMessageText() != null ? chat.lastMessageText() : "(no message yet)");
		execution.setVariable("queuedSince", since.toString());
		execution.setVariable("waitingMinutes", Duration.between(since, now).toMinutes());
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
		execution.setVariable("eligibleAgents", SpinValues.jsonValue(toJson(eligible)).create());
		execution.setVariable("companyAdmins", SpinValues.jsonValue(toJson(admins)).create());
		execution.setVariable(DECISION, eligible.isEmpty() ? "takeover" : "assign");
		execution.removeVariable(CHOICE_ERROR);
	}

	/** The admin completed the task: assign to the chosen agent or hand the chat to the chosen admin. */
	void apply(DelegateExecution execution) {
		String companyId = execution.getTenantId();
		String chatId = execution.getProcessBusinessKey();
		String decision = (String) execution.getVariable(DECISION);
		String outcome;
		String error = null;
		if ("takeover".equals(decision)) {
			String adminId = (String) execution.getVariable(CHOSEN_ADMIN);
			Agent admin = adminId == null ? null : this.agents.find(companyId, adminId).orElse(null);
			if (admin == null || admin.role() != Role.ADMIN) {
				outcome = "INVALID";
				error = "Choose an admin of the company to take the chat over.";
			}
			else {
				this.transitions.takeOver(companyId, chatId, adminId);
				outcome = "TAKEN_OVER";
			}
		}
		else {
			outcome = assignTo(companyId, chatId, (String) execution.getVariable(CHOSEN_AGENT));
			if (!"ASSIGNED".equals(outcome)) {
				error = "That agent cannot take the chat now (not active, at capacity, or outside the chat's group). "
						+ "Choose another agent or take the chat over.";
			}
		}
		if (error != null) {
			execution.setVariable(CHOICE_ERROR, error);
		}
		execution.setVariable(ChatLifecycleProcess.Variables.QUEUE_OUTCOME, Variables.stringValue(outcome, true));
	}

	private String assignTo(String companyId, String chatId, String agentId) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		Chat chat = this.chats.lock(companyId, chatId).orElseThrow();
		if (agentId == null || !chat.isOpen() || chat.assignmentStatus() != AssignmentStatus.QUEUED) {
			return "INVALID";
		}
		// An admin's explicit choice may pass over older queued chats (not FIFO).
		return this.placements.assignFromQueue(chat, agentId, config.strategy(), false).isPresent() ? "ASSIGNED"
				: "INVALID";
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
