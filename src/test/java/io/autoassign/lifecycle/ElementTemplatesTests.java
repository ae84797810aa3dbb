package io.autoassign.lifecycle;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The element templates a process designer uses in Camunda Modeler bind delegate beans that
 * exist, name the inputs the delegates read, and are what the shipped processes use.
 */
@IntegrationTest
class ElementTemplatesTests {

	static final Path TEMPLATES = Path.of("processes/.camunda/element-templates/auto-assign.json");

	static final List<String> BUILDING_BLOCKS = List.of("assign-by-strategy", "enqueue", "reassign-agent-chats",
			"rebalance", "close", "publish-event", "open-queue", "check-no-reply");

	static final Set<String> KNOWN_INPUTS = Set.of(TemplateInputs.STRATEGY, TemplateInputs.GROUP_FILTER,
			TemplateInputs.QUEUE_POOL, TemplateInputs.EVENT_TYPE, TemplateInputs.CLOSE_REASON, TemplateInputs.AGENT_ID);

	private static final Pattern BEAN = Pattern.compile("^\\$\\{([A-Za-z][A-Za-z0-9]*)\\}$");

	@Autowired
	ApplicationContext context;

	@Test
	void everyBuildingBlockHasATemplateBindingAnExistingDelegate() throws Exception {
		Map<String, JsonNode> templates = templates();
		assertThat(templates.keySet()).containsExactlyInAnyOrderElementsOf(
				BUILDING_BLOCKS.stream().map((id) -> "io.autoassign." + id).toList());
		for (JsonNode template : templates.values()) {
			assertThat(template.path("appliesTo").get(0).asText()).isEqualTo("bpmn:ServiceTask");
			String bean = null;
			for (JsonNode property : template.path("properties")) {
				JsonNode binding = property.path("binding");
				if ("camunda:delegateExpression".equals(binding.path("name").asText())) {
					Matcher matcher = BEAN.matcher(property.path("value").asText());
					assertThat(matcher.matches()).as(template.path("id").asText()).isTrue();
					bean = matcher.group(1);
				}
				else {
					assertThat(binding.path("type").asText()).isEqualTo("camunda:inputParameter");
					assertThat(KNOWN_INPUTS).as("inputs the delegates read").contains(binding.path("name").asText());
				}
			}
			assertThat(bean).as(template.path("id").asText() + " binds a delegate").isNotNull();
			assertThat(this.context.containsBean(bean)).as("bean " + bean).isTrue();
			assertThat(this.context.getBean(bean)).isInstanceOf(JavaDelegate.class);
		}
	}

	@Test
	void theShippedProcessesUseEveryTemplateAsTheTemplateSays() throws Exception {
		Map<String, JsonNode> templates = templates();
		Set<String> used = new HashSet<>();
		for (File file : new File("processes").listFiles((dir, name) -> name.endsWith(".bpmn"))) {
			BpmnModelInstance model = Bpmn.readModelFromFile(file);
			for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
				String templateId = task.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "modelerTemplate");
				if (templateId == null) {
					continue;
				}
				JsonNode template = templates.get(templateId);
				assertThat(template).as(file.getName() + " " + task.getId() + " uses an existing template").isNotNull();
				used.add(templateId);
				for (JsonNode property : template.path("properties")) {
					if ("camunda:delegateExpression".equals(property.path("binding").path("name").asText())) {
						assertThat(task.getCamundaDelegateExpression()).as(task.getId())
							.isEqualTo(property.path("value").asText());
					}
				}
				for (CamundaInputParameter input : task.getChildElementsByType(
						org.camunda.bpm.model.bpmn.instance.ExtensionElements.class)
					.stream()
					.flatMap((extensions) -> extensions.getChildElementsByType(CamundaInputOutput.class).stream())
					.flatMap((io) -> io.getCamundaInputParameters().stream())
					.toList()) {
					assertThat(template.path("properties").findValuesAsText("name")).as(task.getId())
						.contains(input.getCamundaName());
				}
			}
		}
		assertThat(used).containsExactlyInAnyOrderElementsOf(templates.keySet());
	}

	private static Map<String, JsonNode> templates() throws Exception {
		Map<String, JsonNode> templates = new HashMap<>();
		for (JsonNode template : new ObjectMapper().readTree(TEMPLATES.toFile())) {
			templates.put(template.path("id").asText(), template);
		}
		return templates;
	}

}
