package io.autoassign.settings;

import java.util.List;

/**
 * One field of the configuration document as the API documents it.
 *
 * @param type {@code boolean}, {@code integer} or {@code string}
 * @param minimum the least integer allowed ({@code null} for other types)
 * @param maximum the greatest integer allowed ({@code null} for other types)
 * @param allowed the values a string may take (empty for other types)
 */
public record ConfigField(String name, String type, Integer minimum, Integer maximum, Object defaultValue,
		List<String> allowed) {

	/** Every field, in document order. */
	public static List<ConfigField> all() {
		return ConfigDocument.describe();
	}

}
