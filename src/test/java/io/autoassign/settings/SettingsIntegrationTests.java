package io.autoassign.settings;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class SettingsIntegrationTests {

	@Autowired
	Api api;

	@Test
	void unknownCompanyReadsTheDefaults() {
		Api.Response response = this.api.get(path(Api.newCompany()));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().get("enabled").booleanValue()).isTrue();
		assertThat(response.text("strategy")).isEqualTo("least_busy");
		assertThat(response.body().get("unlimitedChatsPerAgent").booleanValue()).isFalse();
		assertThat(response.body().get("maxChatsPerAgent").intValue()).isEqualTo(5);
		assertThat(response.body().get("autoReassignOnOffline").booleanValue()).isTrue();
		assertThat(response.body().get("offlineGracePeriodMinutes").intValue()).isEqualTo(2);
		assertThat(response.body().get("groupBasedAssignment").booleanValue()).isFalse();
		assertThat(response.body().get("rebalanceOnAgentOnline").booleanValue()).isFalse();
		assertThat(response.body().get("chatIdleThresholdMinutes").intValue()).isEqualTo(10);
		assertThat(response.body().get("autoCloseEnabled").booleanValue()).isFalse();
		assertThat(response.body().get("inactivityThresholdMinutes").intValue()).isEqualTo(1440);
		assertThat(response.body().get("autoMenuEnabled").booleanValue()).isFalse();
		assertThat(response.body().get("menuTimeoutMinutes").intValue()).isEqualTo(5);
		assertThat(response.body().get("queueEscalationEnabled").booleanValue()).isFalse();
		assertThat(response.body().get("queueEscalationMinutes").intValue()).isEqualTo(10);
	}

	@Test
	void putReplacesAndOmittedFieldsTakeTheirDefaults() {
		String company = Api.newCompany();
		assertThat(this.api.put(path(company), Map.of("maxChatsPerAgent", 9, "strategy", "random")).status())
			.isEqualTo(200);
		Api.Response replaced = this.api.put(path(company), Map.of("autoMenuEnabled", true));
		assertThat(replaced.status()).isEqualTo(200);
		assertThat(replaced.body().get("maxChatsPerAgent").intValue()).isEqualTo(5);
		assertThat(replaced.text("strategy")).isEqualTo("least_busy");
		assertThat(replaced.body().get("autoMenuEnabled").booleanValue()).isTrue();
		assertThat(this.api.get(path(company)).body()).isEqualTo(replaced.body());
	}

	@Test
	void patchMergesAndOmittedFieldsKeepTheirValues() {
		String company = Api.newCompany();
		this.api.put(path(company), Map.of("maxChatsPerAgent", 9, "strategy", "random"));
		Api.Response patched = this.api.patch(path(company), Map.of("menuTimeoutMinutes", 60));
		assertThat(patched.status()).isEqualTo(200);
		assertThat(patched.body().get("maxChatsPerAgent").intValue()).isEqualTo(9);
		assertThat(patched.text("strategy")).isEqualTo("random");
		assertThat(patched.body().get("menuTimeoutMinutes").intValue()).isEqualTo(60);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "maxChatsPerAgent|0", "maxChatsPerAgent|101",
			"inactivityThresholdMinutes|29", "inactivityThresholdMinutes|43201", "strategy|\"fastest\"",
			"offlineGracePeriodMinutes|-1", "offlineGracePeriodMinutes|1441", "chatIdleThresholdMinutes|0",
			"chatIdleThresholdMinutes|1441", "menuTimeoutMinutes|0", "menuTimeoutMinutes|61",
			"maxChatsPerAgent|\"5\"", "enabled|\"yes\"", "autoMenuEnabled|null", "maxChatsPerAgent|2.5",
			"queueEscalationMinutes|0", "queueEscalationMinutes|1441", "queueEscalationEnabled|\"no\"" })
	void badValueIsA400NamingTheField(String field, String value) {
		for (String method : new String[] { "PUT", "PATCH" }) {
			String company = Api.newCompany();
			Api.Response response = this.api.send(method, path(company), "{\"" + field + "\": " + value + "}",
					this.api.platformKey());
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.body().get("status").intValue()).isEqualTo(400);
			assertThat(response.text("title")).isNotBlank();
			assertThat(response.text("detail")).contains(field);
			assertThat(response.body().get("errors")).hasSize(1);
			assertThat(response.body().get("errors").get(0).get("field").asText()).isEqualTo(field);
			assertThat(response.body().get("errors").get(0).get("message").asText()).isNotBlank();
			// nothing was written
			assertThat(this.api.get(path(company)).body().get("maxChatsPerAgent").intValue()).isEqualTo(5);
		}
	}

	@Test
	void everyBadFieldGetsItsOwnError() {
		Api.Response response = this.api.put(path(Api.newCompany()),
				Map.of("maxChatsPerAgent", 0, "strategy", "fastest", "bogus", 1));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("errors").findValuesAsText("field"))
			.containsExactlyInAnyOrder("maxChatsPerAgent", "strategy", "bogus");
	}

	@Test
	void malformedOrMissingJsonIsA400() {
		String company = Api.newCompany();
		Api.Response malformed = this.api.put(path(company), "{\"maxChatsPerAgent\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.contentType()).startsWith("application/problem+json");
		assertThat(this.api.put(path(company), "[1, 2]").status()).isEqualTo(400);
		assertThat(this.api.send("PUT", path(company), null, this.api.platformKey()).status()).isEqualTo(400);
	}

	@Test
	void aConfigWriteCreatesTheCompany() {
		String company = Api.newCompany();
		assertThat(this.api.get("/api/v1/companies/" + company + "/agents").status()).isEqualTo(404);
		this.api.put(path(company), Map.of());
		Api.Response agents = this.api.get("/api/v1/companies/" + company + "/agents");
		assertThat(agents.status()).isEqualTo(200);
		assertThat(agents.body()).isEmpty();
	}

	private static String path(String company) {
		return "/api/v1/companies/" + company + "/auto-assign";
	}

}
