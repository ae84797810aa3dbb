package io.autoassign.lifecycle;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagram classes ({@link ChatLifecycleProcess} and the others) against the diagrams in
 * {@code processes/}: each bound element, message and variable exists, every element id the
 * code names is in its diagram's enum, and the check that guards deployment names what an
 * edited diagram lacks.
 */
class ProcessBindingsTests {

	private static final Path PROCESSES = Path.of("processes");

	@Test
	void eachDiagramHasEveryElementMessageAndVariableItsClassBindsTo() throws IOException {
		assertThat(ProcessBindings.ALL).extracting(ProcessBinding::resource)
			.containsExactlyInAnyOrderElementsOf(diagrams());
		for (ProcessBinding binding : ProcessBindings.ALL) {
			assertThat(ProcessBindings.problems(binding, read(binding))).as(binding.resource()).isEmpty();
		}
	}

	@Test
	void eachDiagramsEnumNamesEveryFlowElementOfIt() throws IOException {
		for (ProcessBinding binding : ProcessBindings.ALL) {
			Set<String> flowElements = new TreeSet<>();
			Bpmn.readModelFromStream(Files.newInputStream(PROCESSES.resolve(file(binding))))
				.getModelElementsByType(FlowElement.class)
				.stream()
				.filter((element) -> !element.getElementType().getTypeName().equals("sequenceFlow"))
				.forEach((element) -> flowElements.add(element.getId()));
			assertThat(binding.elements()).as(binding.resource()).containsExactlyInAnyOrderElementsOf(flowElements);
		}
	}

	@Test
	void everyElementIdTheCodeNamesAsTextIsInItsDiagramsEnum() throws IOException {
		Map<String, ProcessBinding> owner = new HashMap<>();
		for (ProcessBinding binding : ProcessBindings.ALL) {
			Bpmn.readModelFromStream(Files.newInputStream(PROCESSES.resolve(file(binding))))
				.getModelElementsByType(FlowElement.class)
				.forEach((element) -> owner.put(element.getId(), binding));
		}
		List<String> unbound = new ArrayList<>();
		Pattern literal = Pattern.compile("\"([A-Za-z]+_\\w+)\"");
		try (Stream<Path> sources = Stream.concat(Files.walk(Path.of("src/main/java")), Files.walk(Path.of("src/test/java")))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Matcher matcher = literal.matcher(Files.readString(source));
				while (matcher.find()) {
					ProcessBinding binding = owner.get(matcher.group(1));
					if (binding != null && !binding.elements().contains(matcher.group(1))) {
						unbound.add(source + ": " + matcher.group(1));
					}
				}
			}
		}
		assertThat(unbound).isEmpty();
	}

	@Test
	void aDiagramThatLacksABoundElementMessageOrVariableIsNamedWithWhatItLacks() throws IOException {
		ProcessBinding lifecycle = ChatLifecycleProcess.BINDING;
		String diagram = new String(read(lifecycle), StandardCharsets.UTF_8);

		assertThat(problems(lifecycle, diagram.replace("Timer_Inactivity", "Timer_Idle")))
			.containsExactly("processes/chat-lifecycle.bpmn lacks the element Timer_Inactivity");
		assertThat(problems(lifecycle, diagram.replace("name=\"CloseChat\"", "name=\"ChatClosed\"")))
			.containsExactly("processes/chat-lifecycle.bpmn lacks the message CloseChat");
		assertThat(problems(lifecycle, diagram.replace("${inactivityDueAt}", "PT30M")))
			.containsExactly("processes/chat-lifecycle.bpmn no longer reads the variable inactivityDueAt in any expression");
		assertThat(problems(lifecycle, diagram.replace("id=\"chat-lifecycle\"", "id=\"chat-lifecycle-2\"")))
			.containsExactly("processes/chat-lifecycle.bpmn lacks the process with id chat-lifecycle");
		assertThat(problems(lifecycle, diagram.substring(0, diagram.length() / 2))).singleElement()
			.asString()
			.startsWith("processes/chat-lifecycle.bpmn is not a valid BPMN 2.0 file");
		// what the code does not bind to may change freely
		assertThat(problems(lifecycle, diagram.replace("name=\"Assign agent by strategy\"", "name=\"Pick an agent\""))).isEmpty();
	}

	@Test
	void theEscalationFormAsksOnlyForVariablesTheLifecycleBinds() throws Exception {
		Set<String> bound = new TreeSet<>();
		for (Field field : ChatLifecycleProcess.Variables.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == ProcessVariable.class) {
				bound.add(((ProcessVariable<?>) field.get(null)).name());
			}
		}
		String form = Files.readString(Path.of("forms/assign-queued-chat.form"));
		Set<String> named = new TreeSet<>();
		Matcher matcher = Pattern.compile("\"(?:key|valuesKey)\": *\"(\\w+)\"|\\{\\{(\\w+)}}|\"=(\\w+)").matcher(form);
		while (matcher.find()) {
			named.add(matcher.group(1) != null ? matcher.group(1)
					: matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
		}
		assertThat(named).isNotEmpty();
		assertThat(bound).containsAll(named);
	}

	private static List<String> problems(ProcessBinding binding, String diagram) {
		return ProcessBindings.problems(binding, diagram.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] read(ProcessBinding binding) throws IOException {
		return Files.readAllBytes(PROCESSES.resolve(file(binding)));
	}

	private static String file(ProcessBinding binding) {
		return binding.resource().substring("processes/".length());
	}

	private static List<String> diagrams() throws IOException {
		try (Stream<Path> files = Files.list(PROCESSES)) {
			return files.map((path) -> path.getFileName().toString())
				.filter((name) -> name.endsWith(".bpmn"))
				.map((name) -> "processes/" + name)
				.toList();
		}
	}

}
