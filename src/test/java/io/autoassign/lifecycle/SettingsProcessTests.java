package io.autoassign.lifecycle;

import java.util.HashMap;
import java.util.Map;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.autoassign.lifecycle.SettingsProcess.Element.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

/**
 * The settings process an admin runs from Tasklist: the form shows the current configuration,
 * a bad value brings the form back with the error, a good one is applied as a PATCH.
 */
@IntegrationTest
class SettingsProcessTests {

	@Autowired
	ProcessEngine engine;

	@Autowired
	Api api;

	String company;

	@BeforeEach
	void setUp() {
		BpmnAwareTests.init(this.engine);
		this.company = Api.newCompany();
		this.api.put("/api/v1/companies/" + this.company + "/auto-assign", Map.of("maxChatsPerAgent", 3));
	}

	@AfterEach
	void tearDown() {
		BpmnAwareTests.reset();
	}

	@Test
	void aBadValueBringsTheFormBackWithTheErrorAndAGoodOneIsApplied() {
		this.engine.getIdentityService().setAuthenticatedUserId("admin");
		ProcessInstance instance;
		try {
			instance = this.engine.getRuntimeService()
				.startProcessInstanceByKey(SettingsProcess.KEY, Map.of(SettingsProcess.Variables.COMPANY_ID.name(), this.company));
		}
		finally {
			this.engine.getIdentityService().clearAuthentication();
		}
		assertThat(instance).isWaitingAt(id(UserTask_EditSettings));
		org.assertj.core.api.Assertions.assertThat(instance.getTenantId()).isEqualTo(this.company);
		Task task = task(instance);
		org.assertj.core.api.Assertions.assertThat(task.getAssignee()).isEqualTo("admin");
		Map<String, Object> form = this.engine.getTaskService().getVariables(task.getId());
		org.assertj.core.api.Assertions.assertThat(form).containsEntry("maxChatsPerAgent", 3)
			.containsEntry("strategy", "least_busy")
			.containsEntry("queueEscalationEnabled", false);

		Map<String, Object> submitted = new HashMap<>(form);
		submitted.put("maxChatsPerAgent", 0L);
		submitted.put("inactivityThresholdMinutes", 29L);
		this.engine.getTaskService().complete(task.getId(), submitted);

		assertThat(instance).hasPassed(id(Task_ApplySettings)).isWaitingAt(id(UserTask_EditSettings));
		String errors = (String) this.engine.getRuntimeService().getVariable(instance.getId(), SettingsProcess.Variables.VALIDATION_ERRORS.name());
		org.assertj.core.api.Assertions.assertThat(errors).contains("maxChatsPerAgent must be between 1 and 100")
			.contains("inactivityThresholdMinutes must be between 30 and 43200");
		org.assertj.core.api.Assertions.assertThat(config().get("maxChatsPerAgent").intValue()).isEqualTo(3);

		submitted.put("maxChatsPerAgent", 7.0);
		submitted.put("inactivityThresholdMinutes", 60L);
		submitted.put("strategy", "round_robin");
		this.engine.getTaskService().complete(task(instance).getId(), submitted);

		assertThat(instance).hasPassed(id(EndEvent_SettingsApplied)).isEnded();
		org.assertj.core.api.Assertions.assertThat(config().get("maxChatsPerAgent").intValue()).isEqualTo(7);
		org.assertj.core.api.Assertions.assertThat(config().get("inactivityThresholdMinutes").intValue()).isEqualTo(60);
		org.assertj.core.api.Assertions.assertThat(config().get("strategy").asText()).isEqualTo("round_robin");
	}

	@Test
	void aWrongTypeIsReportedLikeTheApiReportsIt() {
		ProcessInstance instance = this.engine.getRuntimeService()
			.startProcessInstanceByKey(SettingsProcess.KEY, Map.of(SettingsProcess.Variables.COMPANY_ID.name(), this.company));
		Map<String, Object> submitted = new HashMap<>(this.engine.getTaskService().getVariables(task(instance).getId()));
		submitted.put("menuTimeoutMinutes", "soon");
		this.engine.getTaskService().complete(task(instance).getId(), submitted);
		org.assertj.core.api.Assertions
			.assertThat((String) this.engine.getRuntimeService().getVariable(instance.getId(), SettingsProcess.Variables.VALIDATION_ERRORS.name()))
			.isEqualTo("menuTimeoutMinutes must be an integer between 1 and 60");
	}

	@Test
	void theFormEditsTheBusinessHoursAsTextAndNamesABadEntry() {
		this.api.patch("/api/v1/companies/" + this.company + "/auto-assign", Map.of("businessHoursEnabled", true,
				"timeZone", "Europe/Berlin", "weeklyHours", java.util.List.of(Map.of("day", "MONDAY", "from", "09:00", "to",
						"17:30"), Map.of("day", "TUESDAY", "from", "09:00", "to", "12:00")),
				"holidays", java.util.List.of("2026-12-25")));
		ProcessInstance instance = this.engine.getRuntimeService()
			.startProcessInstanceByKey(SettingsProcess.KEY, Map.of(SettingsProcess.Variables.COMPANY_ID.name(), this.company));
		Map<String, Object> form = this.engine.getTaskService().getVariables(task(instance).getId());
		org.assertj.core.api.Assertions.assertThat(form).containsEntry("weeklyHours", "MONDAY 09:00-17:30\nTUESDAY 09:00-12:00")
			.containsEntry("holidays", "2026-12-25")
			.containsEntry("timeZone", "Europe/Berlin")
			.containsEntry("businessHoursEnabled", true);

		Map<String, Object> submitted = new HashMap<>(form);
		submitted.put("weeklyHours", "MONDAY 09:00-17:30\nwednesday 8:00-12:00\nsometimes");
		this.engine.getTaskService().complete(task(instance).getId(), submitted);
		org.assertj.core.api.Assertions
			.assertThat((String) this.engine.getRuntimeService().getVariable(instance.getId(), SettingsProcess.Variables.VALIDATION_ERRORS.name()))
			.contains("weeklyHours[1].from must be a time HH:mm").contains("weeklyHours[2] must be a period");

		submitted.put("weeklyHours", "MONDAY 09:00-17:30\n\nFRIDAY 22:00-24:00; SATURDAY 00:00-02:00");
		submitted.put("holidays", "2026-12-25, 2026-12-26\n2027-01-01");
		this.engine.getTaskService().complete(task(instance).getId(), submitted);
		assertThat(instance).isEnded();
		org.assertj.core.api.Assertions.assertThat(config().get("weeklyHours").toString()).isEqualTo(
				"[{\"day\":\"MONDAY\",\"from\":\"09:00\",\"to\":\"17:30\"},{\"day\":\"FRIDAY\",\"from\":\"22:00\",\"to\":\"24:00\"},"
						+ "{\"day\":\"SATURDAY\",\"from\":\"00:00\",\"to\":\"02:00\"}]");
		org.assertj.core.api.Assertions.assertThat(config().get("holidays").toString())
			.isEqualTo("[\"2026-12-25\",\"2026-12-26\",\"2027-01-01\"]");
	}

	private Task task(ProcessInstance instance) {
		return this.engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
	}

	private com.fasterxml.jackson.databind.JsonNode config() {
		return this.api.get("/api/v1/companies/" + this.company + "/auto-assign").body();
	}

	/** An element's id, as the diagram and Cockpit name it. */
	private static String id(Enum<?> element) {
		return element.name();
	}

}
