package io.autoassign.settings;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.domain.FieldError;
import io.autoassign.domain.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDocumentTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Every integer field with its allowed range. */
	static Stream<Arguments> ranges() {
		return Stream.of(Arguments.of("maxChatsPerAgent", 1, 100), Arguments.of("offlineGracePeriodMinutes", 0, 1440),
				Arguments.of("chatIdleThresholdMinutes", 1, 1440),
				Arguments.of("inactivityThresholdMinutes", 30, 43200), Arguments.of("menuTimeoutMinutes", 1, 60),
				Arguments.of("queueEscalationMinutes", 1, 1440));
	}

	static Stream<String> booleans() {
		return Stream.of("enabled", "unlimitedChatsPerAgent", "autoReassignOnOffline", "groupBasedAssignment",
				"rebalanceOnAgentOnline", "autoCloseEnabled", "autoMenuEnabled", "queueEscalationEnabled");
	}

	@ParameterizedTest
	@MethodSource("ranges")
	void acceptsBothEndsOfEachRange(String field, int min, int max) throws Exception {
		assertThat(valueOf(field, apply("{\"" + field + "\": " + min + "}"))).isEqualTo(min);
		assertThat(valueOf(field, apply("{\"" + field + "\": " + max + "}"))).isEqualTo(max);
	}

	@ParameterizedTest
	@MethodSource("ranges")
	void rejectsJustOutsideEachRange(String field, int min, int max) {
		assertRejected("{\"" + field + "\": " + (min - 1) + "}", field, "must be between " + min + " and " + max);
		assertRejected("{\"" + field + "\": " + (max + 1) + "}", field, "must be between " + min + " and " + max);
	}

	@ParameterizedTest
	@MethodSource("ranges")
	void rejectsIntegersOfTheWrongType(String field, int min, int max) {
		assertRejected("{\"" + field + "\": \"" + min + "\"}", field, "must be an integer between " + min + " and " + max);
		assertRejected("{\"" + field + "\": " + min + ".5}", field, "must be an integer between " + min + " and " + max);
		assertRejected("{\"" + field + "\": true}", field, "must be an integer between " + min + " and " + max);
		assertRejected("{\"" + field + "\": 99999999999}", field, "must be between " + min + " and " + max);
	}

	@ParameterizedTest
	@MethodSource("booleans")
	void readsBooleansStrictly(String field) throws Exception {
		AutoAssignConfig flipped = apply("{\"" + field + "\": " + !(boolean) valueOf(field, AutoAssignConfig.DEFAULTS) + "}");
		assertThat(valueOf(field, flipped)).isNotEqualTo(valueOf(field, AutoAssignConfig.DEFAULTS));
		assertRejected("{\"" + field + "\": \"true\"}", field, "must be a boolean");
		assertRejected("{\"" + field + "\": 1}", field, "must be a boolean");
	}

	@Test
	void acceptsEveryStrategyAndNothingElse() throws Exception {
		assertThat(apply("{\"strategy\": \"round_robin\"}").strategy()).isEqualTo(Strategy.ROUND_ROBIN);
		assertThat(apply("{\"strategy\": \"least_busy\"}").strategy()).isEqualTo(Strategy.LEAST_BUSY);
		assertThat(apply("{\"strategy\": \"random\"}").strategy()).isEqualTo(Strategy.RANDOM);
		assertRejected("{\"strategy\": \"fastest\"}", "strategy", "must be one of round_robin, least_busy, random");
		assertRejected("{\"strategy\": \"ROUND_ROBIN\"}", "strategy", "must be one of round_robin, least_busy, random");
		assertRejected("{\"strategy\": 1}", "strategy", "must be one of round_robin, least_busy, random");
	}

	@Test
	void reportsEveryBadFieldAtOnce() {
		assertThatThrownBy(() -> apply("{\"maxChatsPerAgent\": 0, \"strategy\": \"fastest\", \"enabled\": null, "
				+ "\"inactivityThresholdMinutes\": 29, \"maxChatPerAgent\": 3}"))
			.isInstanceOfSatisfying(InvalidInputException.class,
					(ex) -> assertThat(ex.errors()).extracting(FieldError::field)
						.containsExactly("maxChatsPerAgent", "strategy", "enabled", "inactivityThresholdMinutes",
								"maxChatPerAgent"));
	}

	@Test
	void startsFromTheGivenBase() throws Exception {
		AutoAssignConfig base = ConfigDocument.apply(JSON.readTree("{\"maxChatsPerAgent\": 9, \"autoMenuEnabled\": true}"),
				AutoAssignConfig.DEFAULTS);
		AutoAssignConfig merged = ConfigDocument.apply(JSON.readTree("{\"menuTimeoutMinutes\": 7}"), base);
		assertThat(merged.maxChatsPerAgent()).isEqualTo(9);
		assertThat(merged.autoMenuEnabled()).isTrue();
		assertThat(merged.menuTimeoutMinutes()).isEqualTo(7);
		assertThat(ConfigDocument.apply(JSON.readTree("{}"), AutoAssignConfig.DEFAULTS)).isEqualTo(AutoAssignConfig.DEFAULTS);
	}

	@Test
	void rejectsADocumentThatIsNotAnObject() {
		assertRejected("[]", "body", "must be a JSON object");
		assertRejected("5", "body", "must be a JSON object");
	}

	@Test
	void capacityIsUnlimitedOrTheMaximum() throws Exception {
		assertThat(apply("{\"maxChatsPerAgent\": 7}").capacity()).isEqualTo(7);
		assertThat(apply("{\"maxChatsPerAgent\": 7, \"unlimitedChatsPerAgent\": true}").capacity()).isEqualTo(-1);
		assertThat(apply("{\"maxChatsPerAgent\": 8}").raisesCapacityOver(apply("{\"maxChatsPerAgent\": 7}"))).isTrue();
		assertThat(apply("{\"maxChatsPerAgent\": 6}").raisesCapacityOver(apply("{\"maxChatsPerAgent\": 7}"))).isFalse();
		assertThat(apply("{\"unlimitedChatsPerAgent\": true}").raisesCapacityOver(AutoAssignConfig.DEFAULTS)).isTrue();
	}

	@Test
	void readsBusinessHours() throws Exception {
		AutoAssignConfig config = apply("{\"businessHoursEnabled\": true, \"timeZone\": \"Europe/Berlin\", "
				+ "\"weeklyHours\": [{\"day\": \"FRIDAY\", \"from\": \"22:00\", \"to\": \"24:00\"}, "
				+ "{\"day\": \"SATURDAY\", \"from\": \"00:00\", \"to\": \"02:00\"}, "
				+ "{\"day\": \"FRIDAY\", \"from\": \"09:00\", \"to\": \"22:00\"}], "
				+ "\"holidays\": [\"2026-12-26\", \"2026-12-25\"]}");
		assertThat(config.businessHoursEnabled()).isTrue();
		assertThat(config.timeZone()).isEqualTo("Europe/Berlin");
		assertThat(config.weeklyHours()).containsExactly(new WeeklyHours(java.time.DayOfWeek.FRIDAY, "22:00", "24:00"),
				new WeeklyHours(java.time.DayOfWeek.SATURDAY, "00:00", "02:00"),
				new WeeklyHours(java.time.DayOfWeek.FRIDAY, "09:00", "22:00"));
		// kept in date order
		assertThat(config.holidays()).containsExactly(java.time.LocalDate.parse("2026-12-25"),
				java.time.LocalDate.parse("2026-12-26"));
		// Friday 21:59 Berlin (20:59 UTC) is open, and so is Saturday 01:59 (00:59 UTC)
		assertThat(config.openAt(java.time.Instant.parse("2027-01-08T20:59:00Z"))).isTrue();
		assertThat(config.openAt(java.time.Instant.parse("2027-01-09T00:59:00Z"))).isTrue();
		assertThat(config.openAt(java.time.Instant.parse("2027-01-09T01:00:00Z"))).isFalse();
		// without business hours every instant is open
		assertThat(AutoAssignConfig.DEFAULTS.openAt(java.time.Instant.parse("2027-01-09T01:00:00Z"))).isTrue();
	}

	@Test
	void namesEachBadEntryOfTheHours() {
		assertThatThrownBy(() -> apply("{\"weeklyHours\": [{\"day\": \"MONDAY\", \"from\": \"09:00\", \"to\": \"17:00\"}, "
				+ "{\"day\": \"Monday\", \"from\": \"9:00\", \"to\": \"17:00\"}, "
				+ "{\"day\": \"TUESDAY\", \"from\": \"18:00\", \"to\": \"17:00\"}, "
				+ "{\"day\": \"MONDAY\", \"from\": \"16:00\", \"to\": \"18:00\"}, "
				+ "{\"day\": \"SUNDAY\", \"from\": \"24:00\", \"to\": \"24:00\", \"note\": 1}, 5], "
				+ "\"holidays\": [\"2026-12-25\", \"25.12.2026\", \"2026-12-25\", 7], \"timeZone\": \"CET+1\"}"))
			.isInstanceOfSatisfying(InvalidInputException.class, (ex) -> assertThat(ex.errors()).extracting(FieldError::field)
				.containsExactly("weeklyHours[1].day", "weeklyHours[1].from", "weeklyHours[2].to", "weeklyHours[3]",
						"weeklyHours[4].note", "weeklyHours[4].from", "weeklyHours[5]", "holidays[1]", "holidays[2]",
						"holidays[3]", "timeZone"));
		assertRejected("{\"weeklyHours\": {}}", "weeklyHours",
				"must be a list of periods {\"day\": \"MONDAY\", \"from\": \"09:00\", \"to\": \"17:30\"}");
		assertRejected("{\"holidays\": null}", "holidays", "must not be null");
		assertRejected("{\"businessHoursEnabled\": true}", "weeklyHours",
				"must hold at least one period while businessHoursEnabled is true");
	}

	@Test
	void limitsTheNumberOfEntries() {
		StringBuilder periods = new StringBuilder();
		for (int i = 0; i < 51; i++) {
			periods.append(i == 0 ? "" : ", ")
				.append(String.format("{\"day\": \"%s\", \"from\": \"%02d:00\", \"to\": \"%02d:10\"}",
						java.time.DayOfWeek.of(i % 7 + 1), i / 7, i / 7));
		}
		assertRejected("{\"weeklyHours\": [" + periods + "]}", "weeklyHours", "must hold at most 50 entries");
		StringBuilder dates = new StringBuilder();
		for (int i = 0; i < 367; i++) {
			dates.append(i == 0 ? "\"" : ", \"").append(java.time.LocalDate.of(2027, 1, 1).plusDays(i)).append('"');
		}
		assertRejected("{\"holidays\": [" + dates + "]}", "holidays", "must hold at most 366 entries");
	}

	private static AutoAssignConfig apply(String document) throws Exception {
		return ConfigDocument.apply(JSON.readTree(document), AutoAssignConfig.DEFAULTS);
	}

	private static void assertRejected(String document, String field, String message) {
		assertThatThrownBy(() -> apply(document)).isInstanceOfSatisfying(InvalidInputException.class,
				(ex) -> assertThat(ex.errors()).containsExactly(new FieldError(field, message)));
	}

	private static Object valueOf(String field, AutoAssignConfig config) throws Exception {
		JsonNode node = JSON.valueToTree(config);
		JsonNode value = node.get(field);
		return value.isBoolean() ? (Object) value.booleanValue() : (Object) value.intValue();
	}

}
