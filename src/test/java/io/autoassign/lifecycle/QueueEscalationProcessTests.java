package io.autoassign.lifecycle;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.events.AutoAssignEvent.ChatTakenOver;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.settings.SettingsService;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EngineCommandCounter;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.autoassign.lifecycle.ChatLifecycleProcess.Element.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

/**
 * A chat that waits too long in the queue raises "Assign queued chat" for the admins.
 */
@IntegrationTest
class QueueEscalationProcessTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	EventRecorder events;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	QueueEscalation escalation;

	@Autowired
	SettingsService settings;

	@Autowired
	EngineCommandCounter commands;

	String company;

	@BeforeEach
	void setUp() {
		BpmnAwareTests.init(this.processEngine);
		this.company = Api.newCompany();
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1, "queueEscalationEnabled", true,
				"queueEscalationMinutes", 10));
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "Ann", "role", "AGENT"));
		this.api.put(base() + "/agents/b", Map.of("name", "Bob", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		this.api.post(base() + "/chats", Map.of("chatId", "busy", "member", Map.of("id", "m0")));
		this.api.post(base() + "/chats",
				Map.of("chatId", "q", "member", Map.of("id", "m1", "name", "Mia"), "message", "Anyone there?"));
	}

	@AfterEach
	void tearDown() {
		this.engine.resetClock();
		BpmnAwareTests.reset();
		org.assertj.core.api.Assertions.assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void aChatWaitingTooLongAsksAnAdminWhoAssignsIt() {
		this.engine.advance(Duration.ofMinutes(9));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(task()).isNull();
		this.api.put(base() + "/agents/b/status", Map.of("status", "INACTIVE"));
		this.engine.advance(Duration.ofMinutes(2));
		this.engine.runDueJobs(this.company);

		Task task = task();
		org.assertj.core.api.Assertions.assertThat(task).isNotNull();
		org.assertj.core.api.Assertions.assertThat(task.getName()).isEqualTo("Assign queued chat");
		Map<String, Object> form = this.processEngine.getTaskService().getVariables(task.getId());
		org.assertj.core.api.Assertions.assertThat(form).containsEntry("memberName", "Mia")
			.containsEntry("lastMessage", "Anyone there?")
			.containsEntry("waitingMinutes", 11L);
		org.assertj.core.api.Assertions.assertThat(form.get("companyAdmins").toString()).contains("boss");

		// b cannot take chats (INACTIVE): the form comes back with the reason
		this.processEngine.getTaskService().complete(task.getId(), Map.of(ChatLifecycleProcess.Variables.DECISION.name(), ChatLifecycleProcess.DECISION_ASSIGN,
				ChatLifecycleProcess.Variables.CHOSEN_AGENT.name(), "b"));
		org.assertj.core.api.Assertions.assertThat(task()).isNotNull();
		org.assertj.core.api.Assertions
			.assertThat((String) this.processEngine.getRuntimeService().getVariable(instance(), "choiceError"))
			.contains("cannot take the chat");

		this.api.put(base() + "/agents/b/status", Map.of("status", "ACTIVE"));
		// b became free and took the chat automatically: the admin task is gone
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/chats/q").text("assignedAgentId")).isEqualTo("b");
		org.assertj.core.api.Assertions.assertThat(task()).isNull();
		assertThat(new InstanceRef(instance(), "q", this.company)).hasPassed(id(EndEvent_Dequeued))
			.isWaitingAt(id(Task_InConversation));
	}

	@Test
	void theAdminAssignsTheChatToTheAgentItPicks() {
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 2, "queueEscalationEnabled", true));
		// raising the capacity dispatches the queue: take a back to a full load first
		this.api.post(base() + "/chats/q/takeover", Map.of("adminId", "boss"));
		this.api.post(base() + "/chats", Map.of("chatId", "x", "member", Map.of("id", "m2")));
		this.api.post(base() + "/chats", Map.of("chatId", "q2", "member", Map.of("id", "m3")));
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/chats/q2").text("assignmentStatus"))
			.isEqualTo("QUEUED");
		this.engine.advance(Duration.ofMinutes(11));
		this.engine.runDueJobs(this.company);
		this.api.put(base() + "/agents/a/status", Map.of("status", "INACTIVE"));
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 2, "queueEscalationEnabled", true,
				"enabled", false));
		this.api.put(base() + "/agents/b/status", Map.of("status", "ACTIVE"));
		Task task = task();
		org.assertj.core.api.Assertions.assertThat(task).isNotNull();
		this.processEngine.getTaskService().complete(task.getId(), Map.of(ChatLifecycleProcess.Variables.DECISION.name(), ChatLifecycleProcess.DECISION_ASSIGN,
				ChatLifecycleProcess.Variables.CHOSEN_AGENT.name(), "b"));
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/chats/q2").text("assignedAgentId")).isEqualTo("b");
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatAssigned.class))
			.filteredOn((e) -> e.chatId().equals("q2"))
			.extracting(ChatAssigned::agentId)
			.containsExactly("b");
		assertThat(new InstanceRef(instance("q2"), "q2", this.company)).hasPassed(id(Task_ApplyAdminChoice),
				id(EndEvent_AssignedByAdmin)).isWaitingAt(id(Task_InConversation));
	}

	@Test
	void theAdminTakesTheChatOver() {
		this.engine.advance(Duration.ofMinutes(11));
		this.engine.runDueJobs(this.company);
		this.processEngine.getTaskService().complete(task().getId(), Map.of(ChatLifecycleProcess.Variables.DECISION.name(), ChatLifecycleProcess.DECISION_TAKEOVER,
				ChatLifecycleProcess.Variables.CHOSEN_ADMIN.name(), "boss"));
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/chats/q").text("assignmentStatus"))
			.isEqualTo("TAKEN_OVER");
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatTakenOver.class))
			.extracting(ChatTakenOver::adminId)
			.containsExactly("boss");
		assertThat(new InstanceRef(instance(), "q", this.company)).hasPassed(id(EndEvent_TakenOverByAdmin),
				id(EndEvent_HandedToAdmin)).isWaitingAt(id(Timer_Inactivity));
	}

	@Test
	void withoutEscalationNoTaskAppears() {
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.post(base() + "/chats", Map.of("chatId", "late", "member", Map.of("id", "m9")));
		this.engine.advance(Duration.ofDays(2));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(this.processEngine.getTaskService()
			.createTaskQuery()
			.tenantIdIn(this.company)
			.processInstanceBusinessKey("late")
			.count()).isZero();
		org.assertj.core.api.Assertions.assertThat(List.of(this.api.get(base() + "/chats/late").text("assignmentStatus")))
			.containsExactly("QUEUED");
	}

	@Test
	void switchingEscalationOnAppliesToTheChatsAlreadyWaiting() {
		this.api.put(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.engine.advance(Duration.ofMinutes(20));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(task()).isNull();

		this.api.patch(base() + "/auto-assign", Map.of("queueEscalationEnabled", true, "queueEscalationMinutes", 15));
		this.engine.runDueJobs(this.company);
		Task task = task();
		org.assertj.core.api.Assertions.assertThat(task).isNotNull();
		org.assertj.core.api.Assertions.assertThat(this.processEngine.getTaskService().getVariables(task.getId()))
			.containsEntry("waitingMinutes", 20L);
	}

	@Test
	void changedMinutesCountFromWhenTheChatWasQueued() {
		this.api.patch(base() + "/auto-assign", Map.of("queueEscalationMinutes", 30));
		this.engine.advance(Duration.ofMinutes(29));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(task()).isNull();
		this.engine.advance(Duration.ofMinutes(2));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(task()).isNotNull();
	}

	@Test
	void reschedulingTheWaitingChatsIsOneEngineCommandHoweverManyWait() {
		for (int i = 0; i < 40; i++) {
			this.api.post(base() + "/chats", Map.of("chatId", "w" + i, "member", Map.of("id", "m")));
		}
		this.api.patch(base() + "/auto-assign", Map.of("queueEscalationMinutes", 30));
		List<Job> timers = escalationTimers();
		org.assertj.core.api.Assertions.assertThat(timers).hasSize(41);
		for (Job timer : timers) {
			org.assertj.core.api.Assertions.assertThat(timer.getDuedate())
				.isEqualTo(Date.from(timer.getCreateTime().toInstant().plus(Duration.ofMinutes(30))));
		}

		// one engine command (one flush: the updates go to the database in one batch), not one per chat
		int commands = this.commands.count(() -> this.escalation.reschedule(this.company, this.settings.get(this.company)));
		org.assertj.core.api.Assertions.assertThat(commands).isEqualTo(1);
		org.assertj.core.api.Assertions.assertThat(escalationTimers()).allSatisfy((timer) -> org.assertj.core.api.Assertions
			.assertThat(timer.getDuedate())
			.isEqualTo(Date.from(timer.getCreateTime().toInstant().plus(Duration.ofMinutes(30)))));
	}

	private List<Job> escalationTimers() {
		return this.processEngine.getManagementService()
			.createJobQuery()
			.tenantIdIn(this.company)
			.activityId(id(Timer_QueueEscalation))
			.list();
	}

	private Task task() {
		return this.processEngine.getTaskService()
			.createTaskQuery()
			.tenantIdIn(this.company)
			.taskDefinitionKey(id(UserTask_AssignQueuedChat))
			.singleResult();
	}

	private String instance() {
		return instance("q");
	}

	private String instance(String chatId) {
		return this.api.get(base() + "/chats/" + chatId).body() == null ? null
				: this.processEngine.getHistoryService()
					.createHistoricProcessInstanceQuery()
					.tenantIdIn(this.company)
					.processInstanceBusinessKey(chatId)
					.processDefinitionKey(ChatLifecycleProcess.KEY)
					.singleResult()
					.getId();
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	/** An element's id, as the diagram and Cockpit name it. */
	private static String id(Enum<?> element) {
		return element.name();
	}

}
