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
