package io.autoassign.lifecycle;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the code binds to in one diagram of {@code processes/}: its process key, the element ids
 * the code and the tests name (the diagram class's {@code Element} enum), the messages the code
 * correlates and the variables the diagram's expressions must read. {@link ProcessBindings}
 * refuses a changed diagram that lacks any of them before it is deployed.
 */
record ProcessBinding(String key, String resource, Set<String> elements, Set<String> messages,
		List<ProcessVariable<?>> variables) {

	static ProcessBinding of(String key, String resource, Class<? extends Enum<?>> elements, Set<String> messages,
			ProcessVariable<?>... variables) {
		Set<String> ids = new TreeSet<>();
		Arrays.stream(elements.getEnumConstants()).forEach((element) -> ids.add(element.name()));
		return new ProcessBinding(key, resource, ids, new TreeSet<>(messages), List.of(variables));
	}

}
