package io.autoassign.lifecycle;

import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;
import io.autoassign.web.Identifiers;
import io.autoassign.web.InvalidInputException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The steps of {@code processes/auto-assign-settings.bpmn}: an admin edits a company's
 * configuration in a Tasklist form, validated by the same rules as the REST API and applied
 * exactly as a PATCH.
 */
@Configuration(proxyBeanMethods = false)
class SettingsTasks {

	static final String PROCESS_KEY = "auto-assign-settings";

	/** Start form: the company whose settings change. */
	static final String COMPANY_ID = "companyId";

	/** Whether the last submission was applied. */
	static final String SETTINGS_VALID = "settingsValid";

	/** What was wrong with the last submission, one line per field. */
	static final String VALIDATION_ERRORS = "validationErrors";

	/** Task_LoadSettings: the company's current configuration as the form's variables. */
	@Bean
	JavaDelegate loadSettings(SettingsService settings, ObjectMapper json) {
		return (DelegateExecution execution) -> {
			String companyId = Identifiers.company((String) execution.getVariable(COMPANY_ID));
			AutoAssignConfig config = settings.get(companyId);
			Map<String, Object> fields = json.convertValue(config, json.getTypeFactory()
				.constructMapType(Map.class, String.class, Object.class));
			execution.setVariables(fields);
			execution.setVariable(VALIDATION_ERRORS, null);
		};
	}

	/** Task_ApplySettings: validates and applies the form's values; sets settingsValid. */
	@Bean
	JavaDelegate applySettings(SettingsService settings, ObjectMapper json) {
		return LifecycleDelegates.retryable((DelegateExecution execution) -> {
			String companyId = (String) execution.getVariable(COMPANY_ID);
			ObjectNode document = json.createObjectNode();
			for (String field : SettingsService.fieldNames()) {
				Object value = execution.getVariable(field);
				// Forms submit numbers as Long or Double: a whole number is an integer here.
				if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
						&& !Double.isInfinite(number.doubleValue())) {
					document.put(field, number.longValue());
				}
				else {
					document.set(field, json.valueToTree(value));
				}
			}
			try {
				settings.patchInCurrentTransaction(companyId, document);
				execution.setVariable(SETTINGS_VALID, true);
				execution.setVariable(VALIDATION_ERRORS, null);
			}
			catch (InvalidInputException ex) {
				execution.setVariable(SETTINGS_VALID, false);
				execution.setVariable(VALIDATION_ERRORS, ex.errors()
					.stream()
					.map((error) -> error.field() + " " + error.message())
					.collect(Collectors.joining("; ")));
			}
		});
	}

}
