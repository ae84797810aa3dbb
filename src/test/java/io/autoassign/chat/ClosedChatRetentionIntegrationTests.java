package io.autoassign.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data that does not grow without bound: closed chats past the retention (30 days) leave
 * {@code aa_chat}, and the engine's history cleanup (scheduled, all day) removes their
 * lifecycles' history, while open chats and recently closed ones stay; the invariant check
 * of a company with 100,000 closed chats reads a bounded tail of them.
 */
@IntegrationTest
class ClosedChatRetentionIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	ClosedChatRetention retention;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	JdbcTemplate jdbc;

	String company;

	@BeforeEach
	void setUp() {
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
	}

	@AfterEach
	void tearDown() {
		this.engine.resetClock();
	}

	@Test
	void closedChatsPastTheRetentionAndTheirHistoryGoWhileOpenAndRecentlyClosedChatsStay() {
		assertThat(this.retention.retention()).isEqualTo(Duration.ofDays(30));
		chat("old");
		close("old");
		chat("open");
		String oldLifecycle = historic("old").getId();
		this.engine.advance(Duration.ofDays(31));
		chat("recent");
		close("recent");

		assertThat(this.retention.purge()).isGreaterThanOrEqualTo(1);
		assertThat(this.api.get(base() + "/chats/old").status()).isEqualTo(404);
		assertThat(this.api.get(base() + "/chats/open").text("status")).isEqualTo("OPEN");
		assertThat(this.api.get(base() + "/chats/recent").text("status")).isEqualTo("CLOSED");

		// the engine schedules its history cleanup itself (a batch window is configured)
		List<Job> cleanup = this.processEngine.getHistoryService().findHistoryCleanupJobs();
		assertThat(cleanup).isNotEmpty();
		for (int run = 0; run < 200 && historicById(oldLifecycle) != null; run++) {
			cleanup.forEach((job) -> this.processEngine.getManagementService().executeJob(job.getId()));
		}
		assertThat(historicById(oldLifecycle)).as("the old chat's lifecycle history").isNull();
		assertThat(historic("recent")).as("the recent chat's lifecycle history").isNotNull();
		assertThat(this.processEngine.getRuntimeService()
			.createProcessInstanceQuery()
			.processInstanceBusinessKey("open")
			.tenantIdIn(this.company)
			.count()).isEqualTo(1);
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void theInvariantCheckOfACompanyWithAHundredThousandClosedChatsReadsABoundedTailOfThem() {
		chat("open");
		this.jdbc.update("insert into aa_chat (company_id, chat_id, status, assignment_status, member_id, "
				+ "created_at, last_activity_at, closed_at, close_reason) select ?, 'closed-' || i, 'CLOSED', "
				+ "'PENDING', 'm', now(), now(), now() - i * interval '1 second', 'CLOSED' "
				+ "from generate_series(1, 100000) i", this.company);

		InvariantChecker.Report report = this.invariants.check(this.company);
		assertThat(report.openChats()).isEqualTo(1);
		assertThat(report.closedChats()).isEqualTo(InvariantChecker.CLOSED_CHECKED);
		assertThat(report.violations()).isEmpty();

		// and they leave in batches once past the retention
		this.engine.advance(Duration.ofDays(31));
		assertThat(this.retention.purge()).isGreaterThanOrEqualTo(100_000);
		assertThat(this.jdbc.queryForObject("select count(*) from aa_chat where company_id = ? and status = 'CLOSED'",
				Long.class, this.company)).isZero();
		assertThat(this.api.get(base() + "/chats/open").text("status")).isEqualTo("OPEN");
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	private void chat(String id) {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", id, "member", Map.of("id", "m-" + id))).status())
			.isEqualTo(201);
	}

	private void close(String id) {
		assertThat(this.api.post(base() + "/chats/" + id + "/close", null).status()).isEqualTo(200);
	}

	private HistoricProcessInstance historic(String chatId) {
		return this.processEngine.getHistoryService()
			.createHistoricProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.processInstanceBusinessKey(chatId)
			.tenantIdIn(this.company)
			.singleResult();
	}

	private HistoricProcessInstance historicById(String id) {
		return this.processEngine.getHistoryService()
			.createHistoricProcessInstanceQuery()
			.processInstanceId(id)
			.singleResult();
	}

}
