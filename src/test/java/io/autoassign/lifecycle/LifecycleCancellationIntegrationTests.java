package io.autoassign.lifecycle;

import java.util.Map;

import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

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

	@Autowired
	OrphanedChats orphans;

	@Autowired
	JdbcTemplate jdbc;

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
		String instance = lifecycle("c1");

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

	@Test
	void anOpenChatWhoseLifecycleNoLongerRunsIsClosedAtStart() {
		// As a cancellation by an older version left it: the chat open and holding a's slot, its
		// recorded lifecycle gone (here the row names one that never existed).
		String running = lifecycle("c1");
		this.jdbc.update("update aa_chat set process_instance_id = ? where company_id = ? and chat_id = 'c1'",
				"gone-" + running, this.company);
		assertThat(this.api.post(base() + "/chats/c1/close", null).status()).isEqualTo(409);

		assertThat(this.orphans.repair()).isGreaterThanOrEqualTo(1);

		assertThat(this.api.get(base() + "/chats/c1").text("closeReason")).isEqualTo("CANCELLED");
		assertThat(this.api.get(base() + "/chats/c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.api.post(base() + "/chats/c1/close", null).status()).isEqualTo(200);
		assertThat(this.orphans.repair()).isZero();
		// the lifecycle the row no longer named ends too (closing the closed chat changes nothing)
		this.processEngine.getRuntimeService().deleteProcessInstance(running, "test", true);
	}

	private String lifecycle(String chatId) {
		return this.processEngine.getRuntimeService()
			.createProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.processInstanceBusinessKey(chatId)
			.tenantIdIn(this.company)
			.singleResult()
			.getId();
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	private void chat(String id) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", id, "member", Map.of("id", "m-" + id))).status())
			.isEqualTo(201);
	}

}
