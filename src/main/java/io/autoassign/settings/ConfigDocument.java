package io.autoassign.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.domain.FieldError;
import io.autoassign.domain.InvalidInputException;

/**
 * Reads a configuration document (PUT: omitted fields take their defaults; PATCH: omitted
 * fields keep their current values) and checks every field's type and range, reporting every
 * bad field at once rather than the first one. Types are strict: {@code "5"} is not an integer
 * and {@code "true"} is not a boolean, and an unknown field is an error because a misspelt
 * setting would otherwise be silently ignored.
 */
final class ConfigDocument {

	private enum Kind {

		BOOLEAN, INTEGER, STRATEGY

	}

	private record Rule(Kind kind, int min, int max, Function<AutoAssignConfig, Object> current) {

		static Rule bool(Function<AutoAssignConfig, Object> current) {
			return new Rule(Kind.BOOLEAN, 0, 0, current);
		}

		static Rule integer(int min, int max, Function<AutoAssignConfig, Object> current) {
			return new Rule(Kind.INTEGER, min, max, current);
		}

	}

	private static final Map<String, Rule> RULES = new LinkedHashMap<>();

	static {
		RULES.put("enabled", Rule.bool(AutoAssignConfig::enabled));
		RULES.put("strategy", new Rule(Kind.STRATEGY, 0, 0, AutoAssignConfig::strategy));
		RULES.put("unlimitedChatsPerAgent", Rule.bool(AutoAssignConfig::unlimitedChatsPerAgent));
		RULES.put("maxChatsPerAgent", Rule.integer(1, 100, AutoAssignConfig::maxChatsPerAgent));
		RULES.put("autoReassignOnOffline", Rule.bool(AutoAssignConfig::autoReassignOnOffline));
		RULES.put("offlineGracePeriodMinutes", Rule.integer(0, 1440, AutoAssignConfig::offlineGracePeriodMinutes));
		RULES.put("groupBasedAssignment", Rule.bool(AutoAssignConfig::groupBasedAssignment));
		RULES.put("rebalanceOnAgentOnline", Rule.bool(AutoAssignConfig::rebalanceOnAgentOnline));
		RULES.put("chatIdleThresholdMinutes", Rule.integer(1, 1440, AutoAssignConfig::chatIdleThresholdMinutes));
		RULES.put("autoCloseEnabled", Rule.bool(AutoAssignConfig::autoCloseEnabled));
		RULES.put("inactivityThresholdMinutes", Rule.integer(30, 43200, AutoAssignConfig::inactivityThresholdMinutes));
		RULES.put("autoMenuEnabled", Rule.bool(AutoAssignConfig::autoMenuEnabled));
		RULES.put("menuTimeoutMinutes", Rule.integer(1, 60, AutoAssignConfig::menuTimeoutMinutes));
		RULES.put("queueEscalationEnabled", Rule.bool(AutoAssignConfig::queueEscalationEnabled));
		RULES.put("queueEscalationMinutes", Rule.integer(1, 1440, AutoAssignConfig::queueEscalationMinutes));
	}

	private ConfigDocument() {
	}

	/** The names of the configuration's fields, in document order. */
	static java.util.Set<String> fieldNames() {
		return RULES.keySet();
	}

	/**
	 * The configuration that results from applying {@code document} on top of {@code base}.
	 * @throws InvalidInputException with one entry per bad field
	 */
	static AutoAssignConfig apply(JsonNode document, AutoAssignConfig base) {
		if (document == null || !document.isObject()) {
			throw new InvalidInputException("body", "must be a JSON object");
		}
		Map<String, Object> values = new LinkedHashMap<>();
		RULES.forEach((name, rule) -> values.put(name, rule.current().apply(base)));
		List<FieldError> errors = new ArrayList<>();
		for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> field = it.next();
			Rule rule = RULES.get(field.getKey());
			if (rule == null) {
				errors.add(new FieldError(field.getKey(), "is not a known field"));
				continue;
			}
			String problem = read(field.getValue(), rule, values, field.getKey());
			if (problem != null) {
				errors.add(new FieldError(field.getKey(), problem));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		return new AutoAssignConfig((boolean) values.get("enabled"), (Strategy) values.get("strategy"),
				(boolean) values.get("unlimitedChatsPerAgent"), (int) values.get("maxChatsPerAgent"),
				(boolean) values.get("autoReassignOnOffline"), (int) values.get("offlineGracePeriodMinutes"),
				(boolean) values.get("groupBasedAssignment"), (boolean) values.get("rebalanceOnAgentOnline"),
				(int) values.get("chatIdleThresholdMinutes"), (boolean) values.get("autoCloseEnabled"),
				(int) values.get("inactivityThresholdMinutes"), (boolean) values.get("autoMenuEnabled"),
				(int) values.get("menuTimeoutMinutes"), (boolean) values.get("queueEscalationEnabled"),
				(int) values.get("queueEscalationMinutes"));
	}

	private static String read(JsonNode node, Rule rule, Map<String, Object> values, String name) {
		if (node.isNull()) {
			return "must not be null";
		}
		switch (rule.kind()) {
			case BOOLEAN -> {
				if (!node.isBoolean()) {
					return "must be a boolean";
				}
				values.put(name, node.booleanValue());
			}
			case INTEGER -> {
				if (!node.isIntegralNumber()) {
					return "must be an integer between " + rule.min() + " and " + rule.max();
				}
				if (!node.canConvertToInt() || node.intValue() < rule.min() || node.intValue() > rule.max()) {
					return "must be between " + rule.min() + " and " + rule.max();
				}
				values.put(name, node.intValue());
			}
			case STRATEGY -> {
				String allowed = Arrays.stream(Strategy.values()).map(Strategy::value).collect(Collectors.joining(", "));
				if (!node.isTextual()) {
					return "must be one of " + allowed;
				}
				Strategy strategy = Strategy.fromValue(node.textValue()).orElse(null);
				if (strategy == null) {
					return "must be one of " + allowed;
				}
				values.put(name, strategy);
			}
		}
		return null;
	}

}
