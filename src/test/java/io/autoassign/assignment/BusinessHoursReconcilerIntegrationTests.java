package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.autoassign.lifecycle.BusinessHoursProcess;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reconciler and business hours: a queue that waits beside free agents outside the hours is
 * no drift (nothing repaired, nothing dispatched); within them it is, so a queue whose opening
 * timer is gone (an operator cancelled the process in Cockpit) is dispatched by the reconciler
 * after two looks.
 */
@IntegrationTest
class BusinessHoursReconcilerIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	RoutingReconciler reconciler;

	String company;

	Instant monday8;

	@BeforeEach
	void company() {
		this.monday8 = this.engine.setToAMondayAhead(8);
		this.company = Api.newCompany();
		this.api.put(base() + "/agents/a", Map.of("name", "a", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		this.api.patch(base() + "/auto-assign", Map.of("businessHoursEnabled", true, "weeklyHours",
				List.of(Map.of("day", "MONDAY", "from", "09:00", "to", "17:00"))));
	}

	@AfterEach
	void reset() {
		this.engine.resetClock();
	}

	@Test
	void aQueueOutsideTheHoursIsNoDriftAndWithinThemTheReconcilerDispatchesItWhenTheTimerIsGone() {
		assertThat(this.api.post(base() + "/chats", Map.of("chatId", "q1", "member", Map.of("id", "m1"))).status())
			.isEqualTo(201);
		assertThat(status("q1")).isEqualTo("QUEUED");

		this.reconciler.reconcile(this.company);
		this.reconciler.reconcile(this.company);
		assertThat(this.reconciler.recentRepairs()).noneMatch((repair) -> repair.companyId().equals(this.company));
		assertThat(status("q1")).isEqualTo("QUEUED");

		// an operator cancels the company's business-hours process; the opening comes
		this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(BusinessHoursProcess.KEY)
			.processInstanceBusinessKey(this.company)
			.list()
			.forEach((instance) -> this.engine.runtime().deleteProcessInstance(instance.getId(), "test"));
		this.engine.setNow(this.monday8.plus(Duration.ofHours(1)));
		this.engine.runDueJobs(this.company);
		assertThat(status("q1")).isEqualTo("QUEUED");

		this.reconciler.reconcile(this.company);
		this.reconciler.reconcile(this.company);
		this.engine.runDueJobs(this.company);
		await().atMost(Duration.ofSeconds(10)).until(() -> status("q1").equals("ASSIGNED"));
	}

	private String status(String chatId) {
		return this.api.get(base() + "/chats/" + chatId).text("assignmentStatus");
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
