package io.autoassign.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.QueueDispatchProcess;
import io.autoassign.lifecycle.RebalanceProcess;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One company per kind of engine job (menu timeout, offline grace, inactivity auto-close, queue
 * escalation, re-balance, queue dispatch), each with its timer set or its job created, so that a
 * test can make a server fail while they fall due and check that each chat ends where it would
 * have without the outage.
 */
final class OutageScenarios {

	final String menu = Api.newCompany();

	final String grace = Api.newCompany();

	final String inactivity = Api.newCompany();

	final String escalation = Api.newCompany();

	final String rebalance = Api.newCompany();

	final String dispatch = Api.newCompany();

	private final CompanySetup setup;

	private final Engine engine;

	private final ProcessEngine processEngine;

	private final InvariantChecker invariants;

	OutageScenarios(Api api, Engine engine, ProcessEngine processEngine, InvariantChecker invariants) {
		this.setup = new CompanySetup(api);
		this.engine = engine;
		this.processEngine = processEngine;
		this.invariants = invariants;
		// b comes online beside a's four idle chats: two move to b (the job is created now;
		// first, as the chats must be idle for 10 minutes before)
		this.setup.config(this.rebalance,
				Map.of("rebalanceOnAgentOnline", true, "chatIdleThresholdMinutes", 10, "maxChatsPerAgent", 10));
		this.setup.agent(this.rebalance, "a");
		for (String chat : List.of("c1", "c2", "c3", "c4")) {
			this.setup.chat(this.rebalance, chat);
		}
		this.engine.advance(Duration.ofMinutes(11));
		this.setup.agent(this.rebalance, "b");

		// the menu times out after 5 minutes
		this.setup.config(this.menu, Map.of("autoMenuEnabled", true, "menuTimeoutMinutes", 5));
		this.setup.agent(this.menu, "o");
		this.setup.chat(this.menu, "c1");

		// a goes offline: its chat moves to b after 2 minutes
		this.setup.config(this.grace, Map.of("offlineGracePeriodMinutes", 2));
		this.setup.agent(this.grace, "a");
		this.setup.chat(this.grace, "c1");
		this.setup.agent(this.grace, "b");
		this.setup.status(this.grace, "a", "OFFLINE");

		// a silent chat is closed after 30 minutes
		this.setup.config(this.inactivity, Map.of("autoCloseEnabled", true, "inactivityThresholdMinutes", 30));
		this.setup.agent(this.inactivity, "a");
		this.setup.chat(this.inactivity, "c1");

		// a chat queued for 10 minutes is brought to the admins
		this.setup.config(this.escalation, Map.of("maxChatsPerAgent", 1, "queueEscalationEnabled", true,
				"queueEscalationMinutes", 10));
		this.setup.admin(this.escalation, "boss");
		this.setup.agent(this.escalation, "a");
		this.setup.chat(this.escalation, "busy");
		this.setup.chat(this.escalation, "q");

		// raising the capacity dispatches the queue (the job is created now)
		this.setup.config(this.dispatch, Map.of("maxChatsPerAgent", 1));
		this.setup.agent(this.dispatch, "a");
		this.setup.chat(this.dispatch, "c1");
		this.setup.chat(this.dispatch, "c2");
		assertThat(this.setup.view(this.dispatch, "c2").text("assignmentStatus")).isEqualTo("QUEUED");
		this.setup.config(this.dispatch, Map.of("maxChatsPerAgent", 2));
		assertThat(this.setup.view(this.dispatch, "c2").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(jobs(this.dispatch, QueueDispatchProcess.KEY)).isNotEmpty();
		assertThat(jobs(this.rebalance, RebalanceProcess.KEY)).isNotEmpty();
	}

	List<String> companies() {
		return List.of(this.menu, this.grace, this.inactivity, this.escalation, this.rebalance, this.dispatch);
	}

	void runJobs() {
		companies().forEach(this.engine::runAcquirableJobs);
	}

	List<Job> failedJobs() {
		return companies().stream()
			.flatMap((company) -> this.processEngine.getManagementService()
				.createJobQuery()
				.tenantIdIn(company)
				.withException()
				.list()
				.stream())
			.toList();
	}

	List<Incident> incidents() {
		return companies().stream().flatMap((company) -> this.processEngine.getRuntimeService()
				.createIncidentQuery()
				.tenantIdIn(company)
				.list()
				.stream()).toList();
	}

	void assertEndedAsWithoutTheOutage() {
		assertThat(this.setup.view(this.menu, "c1").text("assignedAgentId")).isEqualTo("o");
		assertThat(this.setup.view(this.grace, "c1").text("assignedAgentId")).isEqualTo("b");
		assertThat(this.setup.view(this.inactivity, "c1").text("status")).isEqualTo("CLOSED");
		assertThat(this.setup.view(this.inactivity, "c1").text("closeReason")).isEqualTo("INACTIVITY");
		assertThat(this.processEngine.getTaskService()
			.createTaskQuery()
			.tenantIdIn(this.escalation)
			.processInstanceBusinessKey("q")
			.list()).singleElement().satisfies((task) -> assertThat(task.getName()).isEqualTo("Assign queued chat"));
		assertThat(List.of("c1", "c2", "c3", "c4")).filteredOn(
				(chat) -> "b".equals(this.setup.view(this.rebalance, chat).text("assignedAgentId")))
			.hasSize(2);
		assertThat(this.setup.view(this.dispatch, "c2").text("assignedAgentId")).isEqualTo("a");
		// (a company no job touched since Redis came back empty is rebuilt by the watchdog)
		for (String company : companies()) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.invariants.check(company).violations())
					.as(company)
					.isEmpty());
		}
	}

	private List<Job> jobs(String company, String processKey) {
		return this.processEngine.getManagementService()
			.createJobQuery()
			.tenantIdIn(company)
			.processDefinitionKey(processKey)
			.list();
	}

}
