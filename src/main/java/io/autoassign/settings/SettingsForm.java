package io.autoassign.settings;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Tasklist settings form edits the configuration's lists as text, since a form field holds a
 * value, not a list: {@code weeklyHours} one period per line ({@code MONDAY 09:00-17:30}),
 * {@code holidays} ISO dates separated by commas or line breaks. This turns them into the form's
 * text and back into the document's lists, which {@link ConfigDocument} then checks like any
 * other (so a bad entry is reported as {@code weeklyHours[2].to}).
 */
public final class SettingsForm {

	private SettingsForm() {
	}

	/** The configuration as the form's variables. */
	public static void toForm(AutoAssignConfig config, Map<String, Object> fields) {
		fields.put("weeklyHours", String.join("\n", config.weeklyHours().stream().map(WeeklyHours::text).toList()));
		fields.put("holidays", String.join(", ", config.holidays().stream().map(Object::toString).toList()));
	}

	/** Whether the form holds this field as text that {@link #fromForm} turns into the document's value. */
	public static boolean isList(String field) {
		return field.equals("weeklyHours") || field.equals("holidays");
	}

	/**
	 * The document's value of a list field from the form's text; an entry that is not even shaped
	 * like one is passed on as text, which the document's check reports with its index.
	 */
	public static JsonNode fromForm(String field, Object value) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		if (value == null) {
			return nodes.arrayNode();
		}
		if (!(value instanceof String text)) {
			return nodes.textNode(String.valueOf(value));
		}
		ArrayNode array = nodes.arrayNode();
		List<String> entries = List.of(text.split(field.equals("holidays") ? "[,;\\s]+" : "[;\\n\\r]+"));
		for (String entry : entries) {
			if (entry.isBlank()) {
				continue;
			}
			if (field.equals("holidays")) {
				array.add(entry.strip());
				continue;
			}
			try {
				WeeklyHours period = WeeklyHours.parseAll(entry).get(0);
				ObjectNode node = array.addObject();
				node.put("day", period.day().name());
				node.put("from", period.from());
				node.put("to", period.to());
			}
			catch (IllegalArgumentException ex) {
				array.add(entry.strip());
			}
		}
		return array;
	}

}
