package io.autoassign.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.autoassign.platform.Transactions;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At start, a company whose business hours are on gets its business-hours process back when none
 * runs (an operator cancelled it in Cockpit), with its timer at the next opening; a company with
 * a running process, or without business hours, is left alone.
 */
@IntegrationTest
class BusinessHoursScheduleIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	BusinessHoursSchedule schedule;

	@Autowired
	Transactions transactions;

	@AfterEach
	void reset() {
		this.engine.resetClock();
	}

	@Test
	void aCancelledProcessIsStartedAgainAtStartAndOthersAreLeftAlone() {
		Instant monday8 = this.engine.setToAMondayAhead(8);
		String company = Api.newCompany();
		this.api.patch("/api/v1/companies/" + company + "/auto-assign", Map.of("businessHoursEnabled", true,
				"weeklyHours", List.of(Map.of("day", "MONDAY", "from", "09:00", "to", "17:00"))));
		String without = Api.newCompany();
		this.api.patch("/api/v1/companies/" + without + "/auto-assign", Map.of("maxChatsPerAgent", 3));

		assertThat(ensure(company)).isFalse();
		assertThat(ensure(without)).isFalse();

		this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(BusinessHoursProcess.KEY)
			.processInstanceBusinessKey(company)
			.list()
			.forEach((instance) -> this.engine.runtime().deleteProcessInstance(instance.getId(), "operator"));
		assertThat(ensure(company)).isTrue();

		List<Job> timers = this.engine.management()
			.createJobQuery()
			.tenantIdIn(company)
			.activityId(BusinessHoursProcess.Element.Timer_Opening.name())
			.list();
		assertThat(timers).hasSize(1);
		assertThat(timers.get(0).getDuedate().toInstant()).isEqualTo(monday8.plus(Duration.ofHours(1)));
		assertThat(ensure(company)).isFalse();
	}

	private boolean ensure(String companyId) {
		return this.transactions.retrying(() -> this.schedule.ensure(companyId));
	}

}
