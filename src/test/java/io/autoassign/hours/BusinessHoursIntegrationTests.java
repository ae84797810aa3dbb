package io.autoassign.hours;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.BusinessHoursProcess;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Gates;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Business hours on real PostgreSQL and Redis: outside them no chat is assigned (new chats wait
 * QUEUED with reason OUTSIDE_BUSINESS_HOURS and opensAt), the company's timer "Team opens"
 * dispatches the queue oldest first at the opening, chats assigned at closing stay, and a change
 * of the hours applies at once. The service's clock is the engine's, set to a Monday 08:00 UTC a
 * week or more ahead; the hours are MONDAY 09:00-17:00 UTC.
 */
@IntegrationTest
class BusinessHoursIntegrationTests {

	static final List<Map<String, String>> MONDAY_9_TO_5 = List
		.of(Map.of("day", "MONDAY", "from", "09:00", "to", "17:00"));

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	PausePoints pauses;

	String company;

	Instant monday8;

	StompTestClient admin;

	@BeforeEach
	void company() {
		this.monday8 = this.engine.setToAMondayAhead(8);
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		for (String agent : new String[] { "a", "b" }) {
			this.api.put(base() + "/agents/" + agent, Map.of("name", agent, "role", "AGENT"));
			this.api.put(base() + "/agents/" + agent + "/status", Map.of("status", "ACTIVE"));
		}
		this.admin = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/boss/tokens", null).text("token"));
		this.admin.subscribeOwn();
	}

	@AfterEach
	void reset() {
		this.admin.close();
		this.engine.resetClock();
	}

	@Test
	void outsideTheHoursANewChatWaitsThoughAnAgentIsFreeAndTheAdminsAreToldWhenTheTeamOpens() {
		hours(MONDAY_9_TO_5, List.of());

		chat("c1");

		assertThat(status("c1")).isEqualTo("QUEUED");
		JsonNode queued = this.admin.awaitEvent("CHAT_QUEUED", "c1");
		assertThat(queued.path("reason").asText()).isEqualTo("OUTSIDE_BUSINESS_HOURS");
		assertThat(Instant.parse(queued.path("opensAt").asText())).isEqualTo(this.monday8.plus(Duration.ofHours(1)));
		JsonNode state = this.api.get(base() + "/business-hours").body();
		assertThat(state.path("open").asBoolean()).isFalse();
		assertThat(Instant.parse(state.path("opensAt").asText())).isEqualTo(this.monday8.plus(Duration.ofHours(1)));
		assertThat(state.path("closesAt").isNull()).isTrue();
		// waiting beside free agents outside the hours is no violation
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
		// nothing due yet drains it
		this.engine.runDueJobs(this.company);
		assertThat(status("c1")).isEqualTo("QUEUED");
	}

	@Test
	void atTheOpeningTheTimerDispatchesTheQueueOldestFirst() {
		hours(MONDAY_9_TO_5, List.of());
		this.api.put(base() + "/agents/b/status", Map.of("status", "OFFLINE"));
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 2));
		for (String chat : new String[] { "q1", "q2", "q3" }) {
			chat(chat);
		}
		Job opening = openingTimer();
		assertThat(opening.getDuedate().toInstant()).isEqualTo(this.monday8.plus(Duration.ofHours(1)));

		this.engine.setNow(this.monday8.plus(Duration.ofHours(1)));
		this.engine.runDueJobs(this.company);

		// the process went through its loop once: the opening dispatched, the timer waits again
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(this.engine.processEngine());
		try {
			org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(hoursProcess())
				.hasPassedInOrder(BusinessHoursProcess.Element.StartEvent_HoursSet.name(),
						BusinessHoursProcess.Element.Task_OpenQueue.name(), BusinessHoursProcess.Element.Timer_Opening.name(),
						BusinessHoursProcess.Element.Task_OpenQueue.name())
				.isWaitingAt(BusinessHoursProcess.Element.Timer_Opening.name());
		}
		finally {
			org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.reset();
		}
		// a can take two: the two oldest, the third waits (now for an agent)
		assertThat(this.api.get(base() + "/chats/q1").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.api.get(base() + "/chats/q2").text("assignedAgentId")).isEqualTo("a");
		assertThat(status("q3")).isEqualTo("QUEUED");
		// the timer waits for the next Monday's opening
		assertThat(openingTimer().getDuedate().toInstant()).isEqualTo(this.monday8.plus(Duration.ofDays(7).plusHours(1)));
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	/**
	 * The opening's window: a chat found the team closed a moment before the opening, and its
	 * queue step and commit come after the opening's dispatch ran. Its own commit dispatches the
	 * queue (as every enqueue does), now within the hours: it does not wait for the next opening.
	 */
	@Test
	void aChatQueuedJustBeforeTheOpeningThatCommitsAfterTheOpeningsDispatchIsAssigned() throws Exception {
		hours(MONDAY_9_TO_5, List.of());
		this.engine.setNow(this.monday8.plus(Duration.ofMinutes(59)));
		ExecutorService threads = Executors.newSingleThreadExecutor();
		try (Gates gates = Gates.install(this.pauses)) {
			Gates.Gate queued = gates.at(Point.AFTER_ROUTING_STEP, this.company, "late");
			Future<Api.Response> creating = threads.submit(() -> this.api.post(base() + "/chats",
					Map.of("chatId", "late", "member", Map.of("id", "m-late"))));
			queued.awaitReached();

			// the opening: the timer runs while the chat's transaction has not committed
			this.engine.setNow(this.monday8.plus(Duration.ofHours(1)));
			this.engine.runDueJobs(this.company);
			assertThat(openingTimer().getDuedate().toInstant()).isEqualTo(this.monday8.plus(Duration.ofDays(7).plusHours(1)));

			queued.open();
			assertThat(creating.get(1, TimeUnit.MINUTES).status()).isEqualTo(201);
		}
		finally {
			threads.shutdown();
		}
		this.engine.runDueJobs(this.company);
		await().atMost(Duration.ofSeconds(10)).until(() -> status("late").equals("ASSIGNED"));
		assertThat(this.admin.awaitEvent("CHAT_QUEUED", "late").path("reason").asText()).isEqualTo("OUTSIDE_BUSINESS_HOURS");
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void chatsAssignedAtClosingStayWithTheirAgentsAndNewOnesWait() {
		this.engine.setNow(this.monday8.plus(Duration.ofHours(8)));
		hours(MONDAY_9_TO_5, List.of());
		chat("open1");
		assertThat(status("open1")).isEqualTo("ASSIGNED");

		this.engine.setNow(this.monday8.plus(Duration.ofHours(9)));
		this.engine.runDueJobs(this.company);
		chat("late1");

		assertThat(status("open1")).isEqualTo("ASSIGNED");
		assertThat(status("late1")).isEqualTo("QUEUED");
		JsonNode state = this.api.get(base() + "/business-hours").body();
		assertThat(state.path("open").asBoolean()).isFalse();
		assertThat(Instant.parse(state.path("opensAt").asText())).isEqualTo(this.monday8.plus(Duration.ofDays(7).plusHours(1)));
	}

	@Test
	void anAgentGoingOfflineOutsideTheHoursHandsItsChatsToTheQueueNotToAnotherAgent() {
		this.api.patch(base() + "/auto-assign", Map.of("offlineGracePeriodMinutes", 0));
		chat("c1");
		String holder = this.api.get(base() + "/chats/c1").text("assignedAgentId");
		hours(MONDAY_9_TO_5, List.of());

		this.api.put(base() + "/agents/" + holder + "/status", Map.of("status", "OFFLINE"));
		this.engine.runDueJobs(this.company);

		assertThat(status("c1")).isEqualTo("QUEUED");
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void aChangeOfTheHoursAppliesAtOnceAndMovesTheTimer() {
		hours(MONDAY_9_TO_5, List.of());
		chat("c1");
		assertThat(status("c1")).isEqualTo("QUEUED");

		// the team now starts at 07:00: it works already, the waiting chat is dispatched
		hours(List.of(Map.of("day", "MONDAY", "from", "07:00", "to", "17:00")), List.of());
		this.engine.runDueJobs(this.company);
		assertThat(status("c1")).isEqualTo("ASSIGNED");
		assertThat(openingTimer().getDuedate().toInstant())
			.isEqualTo(this.monday8.plus(Duration.ofDays(7).minusHours(1)));

		// next Monday is a holiday: the following one is the next opening
		LocalDate nextMonday = LocalDate.ofInstant(this.monday8, ZoneOffset.UTC).plusDays(7);
		hours(List.of(Map.of("day", "MONDAY", "from", "07:00", "to", "17:00")), List.of(nextMonday.toString()));
		assertThat(openingTimer().getDuedate().toInstant())
			.isEqualTo(this.monday8.plus(Duration.ofDays(14).minusHours(1)));

		// off: routing keeps no hours, the process ends
		this.api.patch(base() + "/auto-assign", Map.of("businessHoursEnabled", false));
		assertThat(this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(BusinessHoursProcess.KEY)
			.processInstanceBusinessKey(this.company)
			.count()).isZero();
		assertThat(this.api.get(base() + "/business-hours").body().path("open").asBoolean()).isTrue();
	}

	@Test
	void theHoursAreReadBackAsWrittenAndBadEntriesAreNamed() {
		Api.Response written = hours(MONDAY_9_TO_5, List.of("2026-12-25"));
		assertThat(written.status()).isEqualTo(200);
		JsonNode config = this.api.get(base() + "/auto-assign").body();
		assertThat(config.path("businessHoursEnabled").asBoolean()).isTrue();
		assertThat(config.path("weeklyHours").toString()).isEqualTo("[{\"day\":\"MONDAY\",\"from\":\"09:00\",\"to\":\"17:00\"}]");
		assertThat(config.path("holidays").toString()).isEqualTo("[\"2026-12-25\"]");

		Api.Response bad = this.api.patch(base() + "/auto-assign", Map.of("timeZone", "Mars/Olympus", "weeklyHours",
				List.of(Map.of("day", "MONDAY", "from", "09:00", "to", "12:00"),
						Map.of("day", "FUNDAY", "from", "09:00", "to", "12:00"),
						Map.of("day", "TUESDAY", "from", "10:00", "to", "09:00"))));
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body().path("errors").toString()).contains("\"timeZone\"", "\"weeklyHours[1].day\"",
				"\"weeklyHours[2].to\"");
		// nothing of the bad document was applied
		assertThat(this.api.get(base() + "/auto-assign").body().path("timeZone").asText()).isEqualTo("UTC");
	}

	private Api.Response hours(List<Map<String, String>> weekly, List<String> holidays) {
		return this.api.patch(base() + "/auto-assign", Map.of("businessHoursEnabled", true, "timeZone", "UTC",
				"weeklyHours", weekly, "holidays", holidays));
	}

	private org.camunda.bpm.engine.runtime.ProcessInstance hoursProcess() {
		return this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(BusinessHoursProcess.KEY)
			.processInstanceBusinessKey(this.company)
			.singleResult();
	}

	private Job openingTimer() {
		List<Job> timers = this.engine.management()
			.createJobQuery()
			.tenantIdIn(this.company)
			.activityId(BusinessHoursProcess.Element.Timer_Opening.name())
			.list();
		assertThat(timers).hasSize(1);
		return timers.get(0);
	}

	private void chat(String chatId) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId)))
			.status()).isEqualTo(201);
	}

	private String status(String chatId) {
		return this.api.get(base() + "/chats/" + chatId).text("assignmentStatus");
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
