package io.autoassign.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.lifecycle.ChatLifecycleProcess.Element;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EngineCommandCounter;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No-reply reassignment on real PostgreSQL and Redis, the engine's clock moved by hand: a member
 * who waits noReplyMinutes (5) for an answer gets another agent, never one who missed the chat
 * before; when nobody else may take it, it stays and the clock starts again; after
 * maxNoReplyReassignments (2) the admins are asked, once per wait; an answer in time, a
 * takeover, or the feature being off stops the clock; messages cost no engine command.
 */
@IntegrationTest
class NoReplyIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ChatService chatService;

	@Autowired
	EngineCommandCounter commands;

	@Autowired
	InvariantChecker invariants;

	String company;

	final List<StompTestClient> clients = new ArrayList<>();

	StompTestClient boss;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		for (String agent : new String[] { "a", "b", "c" }) {
			this.api.put(base() + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
		}
		this.boss = session("boss");
	}

	@AfterEach
	void reset() {
		this.clients.forEach(StompTestClient::close);
		this.engine.resetClock();
	}

	@Test
	void anUnansweredMemberGetsAnotherAgentNeverOneWhoMissedItAndTheAdminsOnceTheReassignmentsAreSpent() {
		noReply(true);
		active("a");
		StompTestClient a = session("a");
		chat("c1", "hello?");
		assertThat(holder("c1")).isEqualTo("a");
		active("b");

		// a does not answer within 5 minutes: b gets the chat
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");
		assertThat(a.awaitEvent("CHAT_UNASSIGNED", "c1").path("reason").asText()).isEqualTo("NO_REPLY");
		this.boss.awaitMessage((e) -> e.path("type").asText().equals("CHAT_ASSIGNED")
				&& e.path("chatId").asText().equals("c1") && e.at("/chat/assignedAgentId").asText().equals("b"));

		// b does not answer either; a missed it already and c is away: it stays with b
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");
		// the clock started again when nobody could take it: c, active now, gets it 5 minutes later
		active("c");
		this.engine.advance(Duration.ofMinutes(4));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");
		this.engine.advance(Duration.ofMinutes(1));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("c");

		// two reassignments spent: c keeps it and the admins are asked, once for this wait
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("c");
		JsonNode escalated = this.boss.awaitEvent("CHAT_NO_REPLY_ESCALATED", "c1");
		assertThat(escalated.path("agentId").asText()).isEqualTo("c");
		assertThat(escalated.path("noReplyReassignments").asInt()).isEqualTo(2);
		this.engine.advance(Duration.ofMinutes(10));
		this.engine.runDueJobs(this.company);
		// a new wait (c answered, the member wrote again) may be escalated again
		message("c1", Sender.AGENT);
		message("c1", Sender.MEMBER);
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.boss.received("CHAT_NO_REPLY_ESCALATED", "c1").size() == 2);
		assertThat(holder("c1")).isEqualTo("c");
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void anAnswerInTimeStopsTheClockAndTheMembersNextMessageStartsItAgain() {
		noReply(true);
		active("a");
		chat("c1", "hello?");
		active("b");

		this.engine.advance(Duration.ofMinutes(4));
		message("c1", Sender.AGENT);
		this.engine.advance(Duration.ofMinutes(10));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("a");
		// the watch looked and waits again: nobody waits, so in noReplyMinutes
		onPath("c1", (instance) -> BpmnAwareTests.assertThat(instance)
			.hasPassedInOrder(Element.Task_CheckNoReply.name(), Element.Timer_NoReply.name(),
					Element.Task_CheckNoReply.name())
			.isWaitingAt(Element.Timer_NoReply.name()));
		assertThat(noReplyTimers()).isEqualTo(1);

		// the member writes twice: the clock runs from the first of the two
		message("c1", Sender.MEMBER);
		this.engine.advance(Duration.ofMinutes(3));
		message("c1", Sender.MEMBER);
		this.engine.advance(Duration.ofMinutes(2));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");
	}

	@Test
	void aTakeoverEndsTheWatch() {
		noReply(true);
		active("a");
		chat("c1", "hello?");
		active("b");
		assertThat(this.api.post(base() + "/chats/c1/takeover", Map.of("adminId", "boss")).status()).isEqualTo(200);

		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);

		assertThat(this.api.get(base() + "/chats/c1").text("assignedAgentId")).isEqualTo("boss");
		assertThat(noReplyTimers()).isZero();
		onPath("c1", (instance) -> BpmnAwareTests.assertThat(instance)
			.hasPassedInOrder(Element.Task_CheckNoReply.name(), Element.Timer_NoReply.name(),
					Element.Task_CheckNoReply.name(), Element.EndEvent_ReplyWatchEnded.name()));
	}

	@Test
	void offByDefaultNoChatKeepsATimerAndSwitchingItOnWatchesTheOpenChats() {
		active("a");
		chat("c1", "hello?");
		assertThat(noReplyTimers()).isZero();
		onPath("c1", (instance) -> BpmnAwareTests.assertThat(instance)
			.hasNotPassed(Element.Task_CheckNoReply.name()));
		active("b");

		noReply(true);
		assertThat(noReplyTimers()).isEqualTo(1);
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");

		noReply(false);
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");
		assertThat(noReplyTimers()).isZero();
	}

	@Test
	void aMessageCostsNoEngineCommandWhetherOrNotItStartsOrStopsTheClock() {
		noReply(true);
		active("a");
		chat("c1", null);
		for (Sender sender : new Sender[] { Sender.MEMBER, Sender.MEMBER, Sender.AGENT, Sender.AGENT, Sender.MEMBER }) {
			assertThat(this.commands.count(() -> this.chatService.message(this.company, "c1", sender, "text")))
				.as(sender.name())
				.isZero();
		}
		// and still the wait is seen: from the last member message, after the agent's
		this.engine.advance(Duration.ofMinutes(5));
		active("b");
		this.engine.runDueJobs(this.company);
		assertThat(holder("c1")).isEqualTo("b");
	}

	/** Runs the assertion on the chat's lifecycle with camunda-bpm-assert. */
	private void onPath(String chatId, java.util.function.Consumer<ProcessInstance> assertion) {
		BpmnAwareTests.init(this.engine.processEngine());
		try {
			assertion.accept(this.engine.runtime()
				.createProcessInstanceQuery()
				.processInstanceBusinessKey(chatId)
				.tenantIdIn(this.company)
				.singleResult());
		}
		finally {
			BpmnAwareTests.reset();
		}
	}

	private long noReplyTimers() {
		return this.engine.management()
			.createJobQuery()
			.tenantIdIn(this.company)
			.activityId(ChatLifecycleProcess.Element.Timer_NoReply.name())
			.count();
	}

	private void noReply(boolean on) {
		assertThat(this.api.patch(base() + "/auto-assign", Map.of("noReplyReassignEnabled", on, "noReplyMinutes", 5,
				"maxNoReplyReassignments", 2)).status()).isEqualTo(200);
	}

	private void active(String agent) {
		this.api.put(base() + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
	}

	private void message(String chatId, Sender sender) {
		assertThat(this.api.post(base() + "/chats/" + chatId + "/messages", Map.of("sender", sender.name(), "text", "t"))
			.status()).isEqualTo(202);
	}

	private void chat(String chatId, String message) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)));
		if (message != null) {
			body.put("message", message);
		}
		assertThat(this.api.post(base() + "/chats", body).status()).isEqualTo(201);
	}

	private String holder(String chatId) {
		JsonNode chat = this.api.get(base() + "/chats/" + chatId).body();
		assertThat(chat.path("assignmentStatus").asText()).isEqualTo("ASSIGNED");
		return chat.path("assignedAgentId").asText();
	}

	private StompTestClient session(String agentId) {
		StompTestClient client = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token"));
		this.clients.add(client);
		client.subscribeOwn();
		return client;
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
