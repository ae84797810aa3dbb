package io.autoassign.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shipped history keeps of a chat's lifecycle and what it drops ({@link LeanHistory}):
 * the process instance and the steps a support lead follows the chat by are in the engine's
 * history (and so in {@code /engine-rest/history}); gateways and the steps the diagram marks as
 * internal are not.
 */
@IntegrationTest
class LeanHistoryIntegrationTests {

	/** The elements of the chat's lifecycle the diagram marks as internal (history = internal). */
	static final Set<String> INTERNAL = Set.of("Task_AssignAgent", "Task_Enqueue", "Task_AnnounceQueued",
			"StartEvent_QueueWait", "Timer_Inactivity", "Task_CheckInactivity", "EndEvent_ReplyWatchOff");

	@Autowired
	Api api;

	@Autowired
	ProcessEngine engine;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		assertThat(this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1)).status()).isEqualTo(200);
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
	}

	@Test
	void theDiagramMarksExactlyTheHotInternalStepsAndNoWaitState() throws Exception {
		BpmnModelInstance model;
		try (var in = new java.io.FileInputStream("processes/chat-lifecycle.bpmn")) {
			model = Bpmn.readModelFromStream(in);
		}
		Set<String> marked = model.getModelElementsByType(FlowNode.class)
			.stream()
			.filter(LeanHistory.Handler::markedInternal)
			.map(BaseElement::getId)
			.collect(Collectors.toSet());
		assertThat(marked).isEqualTo(INTERNAL);
	}

	@Test
	void aChatAssignedAtOnceAndClosedKeepsItsPathWithoutTheInternalSteps() {
		chat("c1");
		assertThat(this.api.post(base() + "/chats/c1/close", null).status()).isEqualTo(200);

		HistoricProcessInstance instance = process("c1");
		assertThat(instance.getEndTime()).as("ended").isNotNull();
		assertThat(instance.getTenantId()).isEqualTo(this.company);
		assertThat(path(instance)).containsExactly("StartEvent_ChatCreated", "Task_InConversation", "SubProcess_Close",
				"StartEvent_CloseRequested", "Task_CloseChat", "EndEvent_Closed");
	}

	@Test
	void aChatThatWaitedInTheQueueShowsTheWait() {
		chat("c1");
		chat("c2");
		assertThat(this.api.post(base() + "/chats/c1/close", null).status()).isEqualTo(200);
		assertThat(this.api.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("a");

		List<String> path = path(process("c2"));
		assertThat(path).containsSubsequence("StartEvent_ChatCreated", "SubProcess_Queue", "Task_WaitInQueue",
				"EndEvent_Dequeued", "Task_InConversation");
		assertThat(path).doesNotContainAnyElementsOf(INTERNAL).noneMatch((id) -> id.startsWith("Gateway_"));
	}

	/** The chat's activity instances in the engine's history, in the order they started. */
	private List<String> path(HistoricProcessInstance instance) {
		return this.engine.getHistoryService()
			.createHistoricActivityInstanceQuery()
			.processInstanceId(instance.getId())
			.orderByHistoricActivityInstanceStartTime()
			.asc()
			.orderPartiallyByOccurrence()
			.asc()
			.list()
			.stream()
			.map(HistoricActivityInstance::getActivityId)
			.toList();
	}

	private HistoricProcessInstance process(String chatId) {
		return this.engine.getHistoryService()
			.createHistoricProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.processInstanceBusinessKey(chatId)
			.tenantIdIn(this.company)
			.singleResult();
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m"))).status())
			.isEqualTo(201);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
