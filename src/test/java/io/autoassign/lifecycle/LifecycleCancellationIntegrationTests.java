package io.autoassign.lifecycle;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator cancels a chat's lifecycle in Cockpit (with "skip custom listeners", Cockpit's
 * default): the chat is closed (reason CANCELLED), its agent's slot goes to the chat waiting in
 * the queue, and closing it again through the API answers as for any closed chat.
 */
@IntegrationTest
class LifecycleCancellationIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	EventRecorder events;

	@Autowired
	InvariantChecker invariants;

	String company;

	@BeforeEach
	void setUp() {
		this.company = Api.newCompany();
		assertThat(this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1)).status()).isEqualTo(200);
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		chat("c1");
		chat("c2");
	}

	@AfterEach
	void invariants() {
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void cancellingALifecycleClosesItsChatAndFreesTheSlot() {
		assertThat(this.api.get(base() + "/chats/c2").text("assignmentStatus")).isEqualTo("QUEUED");
		String instance = this.processEngine.getRuntimeService()
			.createProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.processInstanceBusinessKey("c1")
			.tenantIdIn(this.company)
			.singleResult()
			.getId();

		this.processEngine.getRuntimeService().deleteProcessInstance(instance, "cancelled in Cockpit", true);

		Api.Response c1 = this.api.get(base() + "/chats/c1");
		assertThat(c1.text("status")).isEqualTo("CLOSED");
		assertThat(c1.text("closeReason")).isEqualTo("CANCELLED");
		assertThat(this.api.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.events.of(this.company, ChatAssigned.class)).extracting(ChatAssigned::chatId)
			.containsExactly("c1", "c2");
		Api.Response again = this.api.post(base() + "/chats/c1/close", null);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.text("closeReason")).isEqualTo("CANCELLED");
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	private void chat(String id) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", id, "member", Map.of("id", "m-" + id))).status())
			.isEqualTo(201);
	}

}
