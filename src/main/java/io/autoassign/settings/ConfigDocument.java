package io.autoassign.settings;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

		BOOLEAN, INTEGER, STRATEGY, ZONE, WEEKLY_HOURS, DATES

	}

	private record Rule(Kind kind, int min, int max, Function<AutoAssignConfig, Object> current) {

		static Rule bool(Function<AutoAssignConfig, Object> current) {
			return new Rule(Kind.BOOLEAN, 0, 0, current);
		}

		static Rule integer(int min, int max, Function<AutoAssignConfig, Object> current) {
			return new Rule(Kind.INTEGER, min, max, current);
		}

	}

	/** At most this many weekly periods. */
	static final int MAX_PERIODS = 50;

	/** At most this many holidays. */
	static final int MAX_HOLIDAYS = 366;

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
		RULES.put("businessHoursEnabled", Rule.bool(AutoAssignConfig::businessHoursEnabled));
		RULES.put("timeZone", new Rule(Kind.ZONE, 0, 0, AutoAssignConfig::timeZone));
		RULES.put("weeklyHours", new Rule(Kind.WEEKLY_HOURS, 0, MAX_PERIODS, AutoAssignConfig::weeklyHours));
		RULES.put("holidays", new Rule(Kind.DATES, 0, MAX_HOLIDAYS, AutoAssignConfig::holidays));
		RULES.put("noReplyReassignEnabled", Rule.bool(AutoAssignConfig::noReplyReassignEnabled));
		RULES.put("noReplyMinutes", Rule.integer(1, 120, AutoAssignConfig::noReplyMinutes));
		RULES.put("maxNoReplyReassignments", Rule.integer(0, 10, AutoAssignConfig::maxNoReplyReassignments));
		RULES.put("queueAgingMinutes", Rule.integer(0, 1440, AutoAssignConfig::queueAgingMinutes));
		RULES.put("stickyAgentEnabled", Rule.bool(AutoAssignConfig::stickyAgentEnabled));
		RULES.put("stickyWindowDays", Rule.integer(1, 365, AutoAssignConfig::stickyWindowDays));
		RULES.put("preferredAgentWaitSeconds", Rule.integer(0, 600, AutoAssignConfig::preferredAgentWaitSeconds));
	}

	private ConfigDocument() {
	}

	/** Each field's type, range and default, in document order (the API's documentation). */
	static List<ConfigField> describe() {
		List<ConfigField> fields = new ArrayList<>();
		RULES.forEach((name, rule) -> {
			Object defaultValue = rule.current().apply(AutoAssignConfig.DEFAULTS);
			fields.add(switch (rule.kind()) {
				case BOOLEAN -> new ConfigField(name, "boolean", null, null, defaultValue, List.of());
				case INTEGER -> new ConfigField(name, "integer", rule.min(), rule.max(), defaultValue, List.of());
				case STRATEGY -> new ConfigField(name, "string", null, null, defaultValue.toString(),
						Arrays.stream(Strategy.values()).map(Strategy::value).toList());
				case ZONE -> new ConfigField(name, "string", null, null, defaultValue, List.of());
				case WEEKLY_HOURS, DATES -> new ConfigField(name, "array", null, rule.max(), defaultValue, List.of());
			});
		});
		return fields;
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
			if (rule.kind() == Kind.WEEKLY_HOURS || rule.kind() == Kind.DATES) {
				if (field.getValue().isNull()) {
					errors.add(new FieldError(field.getKey(), "must not be null"));
				}
				else {
					readList(field.getValue(), rule, values, field.getKey(), errors);
				}
				continue;
			}
			String problem = read(field.getValue(), rule, values, field.getKey());
			if (problem != null) {
				errors.add(new FieldError(field.getKey(), problem));
			}
		}
		if (errors.isEmpty() && (boolean) values.get("businessHoursEnabled")
				&& ((List<?>) values.get("weeklyHours")).isEmpty()) {
			errors.add(new FieldError("weeklyHours", "must hold at least one period while businessHoursEnabled is true"));
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
				(int) values.get("queueEscalationMinutes"), (boolean) values.get("businessHoursEnabled"),
				(String) values.get("timeZone"), weeklyHours(values.get("weeklyHours")), dates(values.get("holidays")),
				(boolean) values.get("noReplyReassignEnabled"), (int) values.get("noReplyMinutes"),
				(int) values.get("maxNoReplyReassignments"), (int) values.get("queueAgingMinutes"),
				(boolean) values.get("stickyAgentEnabled"), (int) values.get("stickyWindowDays"),
				(int) values.get("preferredAgentWaitSeconds"));
	}

	@SuppressWarnings("unchecked")
	private static List<WeeklyHours> weeklyHours(Object value) {
		return (List<WeeklyHours>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<LocalDate> dates(Object value) {
		return (List<LocalDate>) value;
	}

	/**
	 * A list field: every bad entry is an error of its own, named by its index and, within a
	 * period, its field ({@code weeklyHours[2].to}).
	 */
	private static void readList(JsonNode node, Rule rule, Map<String, Object> values, String name,
			List<FieldError> errors) {
		if (!node.isArray()) {
			errors.add(new FieldError(name, rule.kind() == Kind.DATES ? "must be a list of ISO dates (2026-12-25)"
					: "must be a list of periods {\"day\": \"MONDAY\", \"from\": \"09:00\", \"to\": \"17:30\"}"));
			return;
		}
		if (node.size() > rule.max()) {
			errors.add(new FieldError(name, "must hold at most " + rule.max() + " entries"));
			return;
		}
		int before = errors.size();
		if (rule.kind() == Kind.DATES) {
			TreeSet<LocalDate> dates = new TreeSet<>();
			for (int i = 0; i < node.size(); i++) {
				JsonNode entry = node.get(i);
				LocalDate date = entry.isTextual() ? date(entry.textValue()) : null;
				if (date == null) {
					errors.add(new FieldError(name + "[" + i + "]", "must be an ISO date such as 2026-12-25"));
				}
				else if (!dates.add(date)) {
					errors.add(new FieldError(name + "[" + i + "]", "repeats " + date));
				}
			}
			if (errors.size() == before) {
				values.put(name, List.copyOf(dates));
			}
			return;
		}
		List<WeeklyHours> periods = new ArrayList<>();
		for (int i = 0; i < node.size(); i++) {
			WeeklyHours period = period(node.get(i), name + "[" + i + "]", errors);
			if (period == null) {
				continue;
			}
			for (int j = 0; j < periods.size(); j++) {
				WeeklyHours other = periods.get(j);
				if (other != null && other.day() == period.day()
						&& WeeklyHours.minutes(other.from()) < WeeklyHours.minutes(period.to())
						&& WeeklyHours.minutes(period.from()) < WeeklyHours.minutes(other.to())) {
					errors.add(new FieldError(name + "[" + i + "]", "overlaps " + name + "[" + j + "] (" + other.text() + ")"));
					break;
				}
			}
			periods.add(period);
		}
		if (errors.size() == before) {
			values.put(name, List.copyOf(periods));
		}
	}

	private static WeeklyHours period(JsonNode entry, String at, List<FieldError> errors) {
		if (!entry.isObject()) {
			errors.add(new FieldError(at, "must be a period {\"day\": \"MONDAY\", \"from\": \"09:00\", \"to\": \"17:30\"}"));
			return null;
		}
		int before = errors.size();
		for (Iterator<String> names = entry.fieldNames(); names.hasNext();) {
			String field = names.next();
			if (!Set.of("day", "from", "to").contains(field)) {
				errors.add(new FieldError(at + "." + field, "is not a known field"));
			}
		}
		JsonNode day = entry.path("day");
		DayOfWeek dayOfWeek = null;
		if (day.isTextual()) {
			dayOfWeek = Arrays.stream(DayOfWeek.values()).filter((d) -> d.name().equals(day.textValue())).findFirst()
				.orElse(null);
		}
		if (dayOfWeek == null) {
			errors.add(new FieldError(at + ".day", "must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY"));
		}
		JsonNode from = entry.path("from");
		int fromMinutes = from.isTextual() ? WeeklyHours.minutes(from.textValue()) : -1;
		if (fromMinutes < 0 || fromMinutes >= 1440) {
			errors.add(new FieldError(at + ".from", "must be a time HH:mm from 00:00 to 23:59"));
		}
		JsonNode to = entry.path("to");
		int toMinutes = to.isTextual() ? WeeklyHours.minutes(to.textValue()) : -1;
		if (toMinutes < 0) {
			errors.add(new FieldError(at + ".to", "must be a time HH:mm from 00:01 to 24:00"));
		}
		else if (fromMinutes >= 0 && fromMinutes < 1440 && toMinutes <= fromMinutes) {
			errors.add(new FieldError(at + ".to", "must be after from (" + from.textValue()
					+ "); a period past midnight is two entries, to 24:00 and from 00:00"));
		}
		if (errors.size() > before) {
			return null;
		}
		return new WeeklyHours(dayOfWeek, from.textValue(), to.textValue());
	}

	private static LocalDate date(String text) {
		try {
			return text.length() == 10 ? LocalDate.parse(text) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
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
			case ZONE -> {
				if (!node.isTextual() || !ZoneId.getAvailableZoneIds().contains(node.textValue())
						&& !"UTC".equals(node.textValue())) {
					return "must be an IANA time zone such as Europe/Berlin or UTC";
				}
				values.put(name, node.textValue());
			}
			case WEEKLY_HOURS, DATES -> throw new IllegalStateException("lists are read by readList");
		}
		return null;
	}

}
