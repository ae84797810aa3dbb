package io.autoassign.lifecycle;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;

/**
 * The bindings of the diagrams in {@code processes/}, and the check that a diagram still has
 * what its binding names: the process key, every element id of its {@code Element} enum, every
 * message the code correlates, and every variable the code sets for the diagram's expressions to
 * read. A process designer's edit in Modeler that drops one is refused before it is deployed
 * ({@link ProcessDeployer}), so that it cannot break routing at run time.
 */
final class ProcessBindings {

	/** Every diagram the code binds to. */
	static final List<ProcessBinding> ALL = List.of(ChatLifecycleProcess.BINDING, OfflineGraceProcess.BINDING,
			RebalanceProcess.BINDING, QueueDispatchProcess.BINDING, SettingsProcess.BINDING,
			BusinessHoursProcess.BINDING);

	/** An expression of the diagram: {@code ${...}} or {@code #{...}}. */
	private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{([^}]*)}");

	private ProcessBindings() {
	}

	/** The binding of a resource such as {@code processes/chat-lifecycle.bpmn}, if the code binds to it. */
	static Optional<ProcessBinding> of(String resource) {
		return ALL.stream().filter((binding) -> binding.resource().equals(resource)).findFirst();
	}

	/**
	 * What the diagram lacks of its binding, one line each, naming the file and the element,
	 * message or variable; empty when it has everything (or cannot even be read: then that).
	 */
	static List<String> problems(ProcessBinding binding, byte[] diagram) {
		List<String> problems = new ArrayList<>();
		BpmnModelInstance model;
		try {
			model = Bpmn.readModelFromStream(new ByteArrayInputStream(diagram));
		}
		catch (RuntimeException ex) {
			problems.add(binding.resource() + " is not a valid BPMN 2.0 file: " + ex.getMessage());
			return problems;
		}
		Set<String> ids = new HashSet<>();
		model.getModelElementsByType(BaseElement.class).forEach((element) -> ids.add(element.getId()));
		boolean hasKey = model.getModelElementsByType(Process.class)
			.stream()
			.anyMatch((process) -> binding.key().equals(process.getId()));
		if (!hasKey) {
			problems.add(binding.resource() + " lacks the process with id " + binding.key());
		}
		for (String element : binding.elements()) {
			if (!ids.contains(element)) {
				problems.add(binding.resource() + " lacks the element " + element);
			}
		}
		Set<String> messages = new HashSet<>();
		model.getModelElementsByType(Message.class).forEach((message) -> messages.add(message.getName()));
		for (String message : binding.messages()) {
			if (!messages.contains(message)) {
				problems.add(binding.resource() + " lacks the message " + message);
			}
		}
		String text = expressions(new String(diagram, StandardCharsets.UTF_8));
		for (ProcessVariable<?> variable : binding.variables()) {
			if (variable.isReadByDiagram()
					&& !Pattern.compile("\\b" + Pattern.quote(variable.name()) + "\\b").matcher(text).find()) {
				problems.add(binding.resource() + " no longer reads the variable " + variable.name()
						+ " in any expression");
			}
		}
		return problems;
	}

	private static String expressions(String xml) {
		StringBuilder all = new StringBuilder();
		Matcher matcher = EXPRESSION.matcher(xml);
		while (matcher.find()) {
			all.append(matcher.group(1)).append('\n');
		}
		return all.toString();
	}

}
