package io.autoassign.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.autoassign.events.AutoAssignEvent;
import io.autoassign.events.AutoAssignEvent.AgentChatsReassigned;
import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.events.AutoAssignEvent.ChatQueued;
import io.autoassign.events.AutoAssignEvent.ChatTakenOver;
import io.autoassign.events.AutoAssignEvent.ChatUnassigned;
import io.autoassign.events.Recipients;
import io.autoassign.events.UnassignReason;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.autoassign.lifecycle.ChatLifecycleProcess.Element.*;
import static io.autoassign.lifecycle.OfflineGraceProcess.Element.*;
import static io.autoassign.lifecycle.RebalanceProcess.Element.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

/**
 * Every path of the lifecycle processes, driven through the REST API and the engine's timers,
 * asserting where the instances wait, what the chats show and which events reach whom.
 */
@IntegrationTest
class ChatLifecycleProcessTests {

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

	String company;

	@BeforeEach
	void setUp() {
		BpmnAwareTests.init(this.processEngine);
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
	}

	@AfterEach
	void tearDown() {
		this.engine.resetClock();
		BpmnAwareTests.reset();
		org.assertj.core.api.Assertions.assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void menuSelectionRoutesWithinTheChosenGroup() {
		config(Map.of("autoMenuEnabled", true));
		agent("o", "support");
		agent("s", "sales");
		Api.Response created = chat("c1");
		org.assertj.core.api.Assertions.assertThat(created.text("assignmentStatus")).isEqualTo("PENDING");
		assertThat(instance("c1")).isWaitingAt(id(Gateway_MenuWait));
		// an ordinary message does not disturb the wait
		this.api.post(base() + "/chats/c1/messages", Map.of("sender", "MEMBER", "text", "what are my options?"));
		assertThat(instance("c1")).isWaitingAt(id(Gateway_MenuWait));

		org.assertj.core.api.Assertions
			.assertThat(this.api.post(base() + "/chats/c1/menu-selection", Map.of("groupId", "sales")).status())
			.isEqualTo(202);

		Api.Response chat = view("c1");
		org.assertj.core.api.Assertions.assertThat(chat.text("assignmentStatus")).isEqualTo("ASSIGNED");
		org.assertj.core.api.Assertions.assertThat(chat.text("assignedAgentId")).isEqualTo("s");
		org.assertj.core.api.Assertions.assertThat(chat.text("assignedGroupId")).isEqualTo("sales");
		assertThat(instance("c1")).hasPassed(id(Event_MenuSelected)).isWaitingAt(id(Task_InConversation));
		ChatAssigned assigned = only(ChatAssigned.class);
		org.assertj.core.api.Assertions.assertThat(assigned.agentId()).isEqualTo("s");
		org.assertj.core.api.Assertions.assertThat(assigned.chat().lastMessage().text()).isEqualTo("what are my options?");
		org.assertj.core.api.Assertions.assertThat(recipients(ChatAssigned.class)).isEqualTo(Recipients.usersAndAdmins("s"));
	}

	@Test
	void menuTimeoutRoutesWithoutAGroupFilter() {
		config(Map.of("autoMenuEnabled", true, "menuTimeoutMinutes", 5));
		agent("o", "support");
		chat("c1");
		this.engine.advance(Duration.ofMinutes(4));
		this.engine.runDueJobs(this.company);
		assertThat(instance("c1")).isWaitingAt(id(Gateway_MenuWait));
		this.engine.advance(Duration.ofMinutes(1).plusSeconds(1));
		this.engine.runDueJobs(this.company);
		assertThat(instance("c1")).hasPassed(id(Timer_MenuTimeout)).isWaitingAt(id(Task_InConversation));
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedAgentId")).isEqualTo("o");
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedGroupId")).isNull();
		org.assertj.core.api.Assertions
			.assertThat(this.api.post(base() + "/chats/c1/menu-selection", Map.of("groupId", "sales")).status())
			.isEqualTo(409);
	}

	@Test
	void queuedChatsAreAssignedInOrderWhenAnAgentBecomesActive() {
		config(Map.of("maxChatsPerAgent", 5));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		org.assertj.core.api.Assertions.assertThat(chat("c1").body().get("queuePosition").intValue()).isEqualTo(1);
		org.assertj.core.api.Assertions.assertThat(chat("c2").body().get("queuePosition").intValue()).isEqualTo(2);
		assertThat(instance("c1")).isWaitingAt(id(Task_WaitInQueue));
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatQueued.class))
			.extracting(ChatQueued::chatId, ChatQueued::queuePosition)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("c1", 1), org.assertj.core.groups.Tuple.tuple("c2", 2));
		org.assertj.core.api.Assertions.assertThat(recipients(ChatQueued.class)).isEqualTo(Recipients.admins());

		status("a", "ACTIVE");

		assertThat(instance("c1")).hasPassed(id(Task_WaitInQueue)).isWaitingAt(id(Task_InConversation));
		assertThat(instance("c2")).isWaitingAt(id(Task_InConversation));
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatAssigned.class))
			.extracting(ChatAssigned::chatId)
			.containsExactly("c1", "c2");
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/queue").body()).isEmpty();
	}

	@Test
	void activeAgainWithinTheGracePeriodCancelsTheReassignment() {
		config(Map.of("offlineGracePeriodMinutes", 2));
		agent("a");
		agent("b");
		chat("c1");
		status("a", "OFFLINE");
		ProcessInstance grace = graceProcess("a");
		assertThat(grace).isWaitingAt(id(Gateway_WaitGrace));
		this.engine.advance(Duration.ofMinutes(1));
		status("a", "ACTIVE");
		assertThat(grace).hasPassed(id(Event_BackOnline), id(EndEvent_Cancelled)).isEnded();
		this.engine.advance(Duration.ofMinutes(5));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedAgentId")).isEqualTo("a");
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatUnassigned.class)).isEmpty();
	}

	@Test
	void pastTheGracePeriodTheAgentsChatsAreReassignedOrQueuedOldestFirst() {
		config(Map.of("offlineGracePeriodMinutes", 2, "maxChatsPerAgent", 2));
		agent("a");
		chat("c1");
		chat("c2");
		agent("b");
		chat("c3");
		status("a", "OFFLINE");
		this.engine.advance(Duration.ofMinutes(2).plusSeconds(1));
		this.engine.runDueJobs(this.company);

		assertThat(graceProcess("a")).hasPassed(id(Timer_GracePeriod), id(Task_ReassignChats)).isEnded();
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedAgentId")).isEqualTo("b");
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(instance("c1")).isWaitingAt(id(Task_InConversation));
		assertThat(instance("c2")).isWaitingAt(id(Task_WaitInQueue));
		AgentChatsReassigned summary = only(AgentChatsReassigned.class);
		org.assertj.core.api.Assertions.assertThat(summary.agentId()).isEqualTo("a");
		org.assertj.core.api.Assertions.assertThat(summary.reassigned())
			.containsExactly(new AgentChatsReassigned.Reassigned("c1", "b"));
		org.assertj.core.api.Assertions.assertThat(summary.queued())
			.containsExactly(new AgentChatsReassigned.Queued("c2", 1));
		org.assertj.core.api.Assertions.assertThat(recipients(AgentChatsReassigned.class)).isEqualTo(Recipients.everyone());
		org.assertj.core.api.Assertions.assertThat(this.events.recorded(this.company, ChatUnassigned.class))
			.extracting((r) -> ((ChatUnassigned) r.event()).chatId(), (r) -> ((ChatUnassigned) r.event()).reason(),
					EventRecorder.Recorded::recipients)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("c1", UnassignReason.AGENT_OFFLINE, Recipients.users("a")),
					org.assertj.core.groups.Tuple.tuple("c2", UnassignReason.AGENT_OFFLINE, Recipients.users("a")));
	}

	@Test
	void aGracePeriodOfZeroReassignsAtOnce() {
		config(Map.of("offlineGracePeriodMinutes", 0));
		agent("a");
		chat("c1");
		agent("b");
		status("a", "OFFLINE");
		assertThat(graceProcess("a")).isWaitingAt(id(Task_ReassignChats));
		this.engine.runDueJobs(this.company);
		assertThat(graceProcess("a")).isEnded();
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedAgentId")).isEqualTo("b");
		assertThat(instance("c1")).isWaitingAt(id(Task_InConversation));
	}

	@Test
	void anAgentComingOnlineReceivesIdleChatsUntilLoadsAreEven() {
		config(Map.of("rebalanceOnAgentOnline", true, "chatIdleThresholdMinutes", 10, "maxChatsPerAgent", 10));
		agent("a");
		for (String chat : List.of("c1", "c2", "c3", "c4")) {
			chat(chat);
		}
		this.api.post(base() + "/chats/c1/takeover", Map.of("adminId", "boss"));
		chat("c5");
		this.engine.advance(Duration.ofMinutes(11));
		// c4 is in an active conversation and must not move
		this.api.post(base() + "/chats/c4/messages", Map.of("sender", "AGENT", "text", "still here"));
		agent("b");
		ProcessInstance rebalance = this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(RebalanceProcess.KEY)
			.processInstanceBusinessKey("b")
			.tenantIdIn(this.company)
			.singleResult();
		assertThat(rebalance).isWaitingAt(id(Task_Rebalance));
		this.engine.runDueJobs(this.company);
		assertThat(rebalance).isEnded();
		// a held c2..c5 (4), b none: two idle chats move and both hold two
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignedAgentId")).isEqualTo("b");
		org.assertj.core.api.Assertions.assertThat(view("c3").text("assignedAgentId")).isEqualTo("b");
		org.assertj.core.api.Assertions.assertThat(view("c4").text("assignedAgentId")).isEqualTo("a");
		org.assertj.core.api.Assertions.assertThat(view("c5").text("assignedAgentId")).isEqualTo("a");
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedAgentId")).isEqualTo("boss");
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatUnassigned.class))
			.filteredOn((e) -> e.reason() == UnassignReason.REBALANCED)
			.extracting(ChatUnassigned::chatId, ChatUnassigned::agentId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("c2", "a"), org.assertj.core.groups.Tuple.tuple("c3", "a"));
		assertThat(instance("c2")).isWaitingAt(id(Task_InConversation));
	}

	@Test
	void aChatWaitsForItsBusyPreferredAgentAndLeavesTheWaitWhenItFreesASlot() {
		config(Map.of("maxChatsPerAgent", 1, "preferredAgentWaitSeconds", 300));
		agent("a");
		agent("b");
		preferring("c1", "b");
		preferring("c2", "b");
		assertThat(instance("c2")).isWaitingAt(id(Task_WaitPreferred));
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignmentStatus")).isEqualTo("PENDING");

		this.api.post(base() + "/chats/c1/close", null);

		assertThat(instance("c2")).hasPassed(id(Task_WaitPreferred)).isWaitingAt(id(Task_InConversation));
		assertThat(instance("c2")).hasNotPassed(id(Timer_PreferredWait));
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignedAgentId")).isEqualTo("b");
	}

	@Test
	void aChatWhoseWaitForItsPreferredAgentRunsOutGoesByTheStrategy() {
		config(Map.of("maxChatsPerAgent", 1, "preferredAgentWaitSeconds", 300));
		agent("a");
		agent("b");
		preferring("c1", "b");
		preferring("c2", "b");
		this.engine.advance(Duration.ofSeconds(299));
		this.engine.runDueJobs(this.company);
		assertThat(instance("c2")).isWaitingAt(id(Task_WaitPreferred));
		this.engine.advance(Duration.ofSeconds(2));
		this.engine.runDueJobs(this.company);
		assertThat(instance("c2")).hasPassed(id(Timer_PreferredWait)).isWaitingAt(id(Task_InConversation));
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignedAgentId")).isEqualTo("a");
	}

	@Test
	void anAdminMayTakeOverAChatWaitingForItsPreferredAgent() {
		config(Map.of("maxChatsPerAgent", 1, "preferredAgentWaitSeconds", 300));
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		agent("b");
		preferring("c1", "b");
		preferring("c2", "b");
		this.api.post(base() + "/chats/c2/takeover", Map.of("adminId", "boss"));
		assertThat(instance("c2")).hasPassed(id(Event_TakeoverWhileWaitingPreferred), id(Task_TakeOver))
			.isWaitingAt(id(Timer_Inactivity));
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignmentStatus")).isEqualTo("TAKEN_OVER");
	}

	@Test
	void takeoverHandsTheChatToTheAdminAndFreesTheSlot() {
		config(Map.of("maxChatsPerAgent", 1));
		agent("a");
		chat("c1");
		chat("c2");
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignmentStatus")).isEqualTo("QUEUED");

		Api.Response taken = this.api.post(base() + "/chats/c1/takeover", Map.of("adminId", "boss"));

		org.assertj.core.api.Assertions.assertThat(taken.text("assignmentStatus")).isEqualTo("TAKEN_OVER");
		assertThat(instance("c1")).hasPassed(id(Event_TakeoverInConversation), id(Task_TakeOver), id(EndEvent_HandedToAdmin))
			.isWaitingAt(id(Timer_Inactivity));
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignedAgentId")).isEqualTo("a");
		ChatTakenOver event = only(ChatTakenOver.class);
		org.assertj.core.api.Assertions.assertThat(event.adminId()).isEqualTo("boss");
		org.assertj.core.api.Assertions.assertThat(event.previousAgentId()).isEqualTo("a");
		org.assertj.core.api.Assertions.assertThat(recipients(ChatTakenOver.class)).isEqualTo(Recipients.usersAndAdmins("a", "boss"));
		org.assertj.core.api.Assertions.assertThat(only(ChatUnassigned.class).reason()).isEqualTo(UnassignReason.TAKEN_OVER);
		// a taken-over chat stays with the admin when its former agent goes offline
		config(Map.of("maxChatsPerAgent", 1, "offlineGracePeriodMinutes", 0));
		status("a", "OFFLINE");
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(view("c1").text("assignedAgentId")).isEqualTo("boss");
	}

	@Test
	void takeoverWorksFromTheQueueAndFromTheMenuWait() {
		config(Map.of("autoMenuEnabled", true));
		chat("menu");
		this.api.post(base() + "/chats/menu/takeover", Map.of("adminId", "boss"));
		assertThat(instance("menu")).hasPassed(id(Event_TakeoverDuringMenu), id(Task_TakeOver));
		config(Map.of("autoMenuEnabled", false));
		chat("queued");
		this.api.post(base() + "/chats/queued/takeover", Map.of("adminId", "boss"));
		assertThat(instance("queued")).hasPassed(id(Event_TakeoverWhileQueued), id(Task_TakeOver));
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/queue").body()).isEmpty();
		org.assertj.core.api.Assertions.assertThat(only(ChatQueued.class).chatId()).isEqualTo("queued");
		org.assertj.core.api.Assertions.assertThat(this.events.recorded(this.company, ChatTakenOver.class))
			.extracting((r) -> ((ChatTakenOver) r.event()).chatId(), (r) -> ((ChatTakenOver) r.event()).previousAgentId(),
					EventRecorder.Recorded::recipients)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("menu", null, Recipients.usersAndAdmins("boss")),
					org.assertj.core.groups.Tuple.tuple("queued", null, Recipients.usersAndAdmins("boss")));
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatUnassigned.class)).isEmpty();
	}

	@Test
	void aChatWithoutMessagesForTheThresholdIsAutoClosedAndEveryMessageRestartsTheClock() {
		config(Map.of("autoCloseEnabled", true, "inactivityThresholdMinutes", 30, "maxChatsPerAgent", 1));
		agent("a");
		chat("talking");
		chat("silent");
		this.engine.advance(Duration.ofMinutes(20));
		this.api.post(base() + "/chats/talking/messages", Map.of("sender", "MEMBER", "text", "hello?"));
		this.engine.advance(Duration.ofMinutes(20));
		this.engine.runDueJobs(this.company);

		org.assertj.core.api.Assertions.assertThat(view("silent").text("status")).isEqualTo("CLOSED");
		org.assertj.core.api.Assertions.assertThat(view("silent").text("closeReason")).isEqualTo("INACTIVITY");
		assertThat(instance("silent")).hasPassed(id(Task_AutoClose), id(EndEvent_AutoClosed)).isEnded();
		org.assertj.core.api.Assertions.assertThat(view("talking").text("status")).isEqualTo("OPEN");
		// its check found the message and armed the timer again (the auto-close below comes from it)
		assertThat(instance("talking")).isWaitingAt(id(Timer_Inactivity));

		this.engine.advance(Duration.ofMinutes(11));
		this.engine.runDueJobs(this.company);
		org.assertj.core.api.Assertions.assertThat(view("talking").text("closeReason")).isEqualTo("INACTIVITY");
		org.assertj.core.api.Assertions.assertThat(this.api.get(base() + "/agents/a").body().get("activeChats").intValue())
			.isZero();
		org.assertj.core.api.Assertions.assertThat(this.events.recorded(this.company, ChatUnassigned.class))
			.extracting(EventRecorder.Recorded::event, EventRecorder.Recorded::recipients)
			.singleElement()
			.satisfies((tuple) -> {
				ChatUnassigned event = (ChatUnassigned) tuple.toList().get(0);
				org.assertj.core.api.Assertions.assertThat(event.chatId()).isEqualTo("talking");
				org.assertj.core.api.Assertions.assertThat(event.reason()).isEqualTo(UnassignReason.CLOSED);
				org.assertj.core.api.Assertions.assertThat(tuple.toList().get(1)).isEqualTo(Recipients.users("a"));
			});
	}

	@Test
	void closingEndsTheLifecycleAndTheQueueDrainsIntoTheFreedSlot() {
		config(Map.of("maxChatsPerAgent", 1));
		agent("a");
		chat("c1");
		chat("c2");
		this.api.post(base() + "/chats/c1/close", null);
		assertThat(instance("c1")).hasPassed(id(StartEvent_CloseRequested), id(Task_CloseChat), id(EndEvent_Closed)).isEnded();
		org.assertj.core.api.Assertions.assertThat(view("c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(instance("c2")).isWaitingAt(id(Task_InConversation));
		ChatUnassigned unassigned = only(ChatUnassigned.class);
		org.assertj.core.api.Assertions.assertThat(unassigned.reason()).isEqualTo(UnassignReason.CLOSED);
		org.assertj.core.api.Assertions.assertThat(unassigned.agentId()).isEqualTo("a");
	}

	@Test
	void chatsWaitWhileAutoAssignIsDisabledAndAreAssignedInCreationOrderWhenEnabled() {
		config(Map.of("enabled", false, "maxChatsPerAgent", 2));
		agent("a");
		chat("c1");
		chat("c2");
		chat("c3");
		for (String chat : List.of("c1", "c2", "c3")) {
			org.assertj.core.api.Assertions.assertThat(view(chat).text("assignmentStatus")).isEqualTo("PENDING");
			assertThat(instance(chat)).isWaitingAt(id(Task_WaitAutoAssign));
		}
		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company))
			.allSatisfy((r) -> org.assertj.core.api.Assertions.assertThat(r.event())
				.isInstanceOf(io.autoassign.events.AutoAssignEvent.AgentUpdated.class));

		config(Map.of("enabled", true, "maxChatsPerAgent", 2));
		this.engine.runDueJobs(this.company);

		org.assertj.core.api.Assertions.assertThat(this.events.of(this.company, ChatAssigned.class))
			.extracting(ChatAssigned::chatId)
			.containsExactly("c1", "c2");
		org.assertj.core.api.Assertions.assertThat(view("c3").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(instance("c1")).hasPassed(id(Task_WaitAutoAssign)).isWaitingAt(id(Task_InConversation));
		assertThat(instance("c3")).isWaitingAt(id(Task_WaitInQueue));
	}

	// ---- helpers

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	private void config(Map<String, Object> patch) {
		org.assertj.core.api.Assertions.assertThat(this.api.patch(base() + "/auto-assign", patch).status()).isEqualTo(200);
	}

	private void agent(String id, String... groups) {
		this.api.put(base() + "/agents/" + id, Map.of("name", id, "role", "AGENT", "groupIds", List.of(groups)));
		status(id, "ACTIVE");
	}

	private void status(String id, String status) {
		org.assertj.core.api.Assertions
			.assertThat(this.api.put(base() + "/agents/" + id + "/status", Map.of("status", status)).status())
			.isEqualTo(200);
	}

	private Api.Response chat(String id) {
		Api.Response response = this.api.post(base() + "/chats", Map.of("chatId", id, "member", Map.of("id", "m-" + id)));
		org.assertj.core.api.Assertions.assertThat(response.status()).isEqualTo(201);
		return response;
	}

	private void preferring(String id, String agentId) {
		org.assertj.core.api.Assertions.assertThat(this.api.post(base() + "/chats",
				Map.of("chatId", id, "member", Map.of("id", "m-" + id), "preferredAgentId", agentId)).status())
			.isEqualTo(201);
	}

	private Api.Response view(String id) {
		return this.api.get(base() + "/chats/" + id);
	}

	private ProcessInstance instance(String chatId) {
		return historic(ChatLifecycleProcess.KEY, chatId);
	}

	private ProcessInstance graceProcess(String agentId) {
		return historic(OfflineGraceProcess.KEY, agentId);
	}

	/** A process instance by business key, running or ended (for hasPassed/isEnded). */
	private ProcessInstance historic(String key, String businessKey) {
		String id = this.processEngine.getHistoryService()
			.createHistoricProcessInstanceQuery()
			.processDefinitionKey(key)
			.processInstanceBusinessKey(businessKey)
			.tenantIdIn(this.company)
			.orderByProcessInstanceStartTime()
			.desc()
			.list()
			.get(0)
			.getId();
		return new InstanceRef(id, businessKey, this.company);
	}

	private <E extends AutoAssignEvent> E only(Class<E> type) {
		List<E> events = this.events.of(this.company, type);
		org.assertj.core.api.Assertions.assertThat(events).hasSize(1);
		return events.get(0);
	}

	private Recipients recipients(Class<? extends AutoAssignEvent> type) {
		List<EventRecorder.Recorded> recorded = this.events.recorded(this.company, type);
		org.assertj.core.api.Assertions.assertThat(recorded).isNotEmpty();
		return recorded.get(0).recipients();
	}

	/** An element's id, as the diagram and Cockpit name it. */
	private static String id(Enum<?> element) {
		return element.name();
	}

}
