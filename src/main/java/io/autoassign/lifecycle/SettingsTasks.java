package io.autoassign.lifecycle;

import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoassign.domain.Identifiers;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.lifecycle.SettingsProcess.Variables;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsForm;
import io.autoassign.settings.SettingsService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delegates of {@code processes/auto-assign-settings.bpmn} ({@link SettingsProcess}): load
 * the company's configuration into the form's variables, then validate and apply them exactly
 * as a PATCH.
 */
@Configuration(proxyBeanMethods = false)
class SettingsTasks {

	/** Task_LoadSettings: the company's current configuration as the form's variables. */
	@Bean
	JavaDelegate loadSettings(SettingsService settings, ObjectMapper json) {
		return (DelegateExecution execution) -> {
			String companyId = Identifiers.company(Variables.COMPANY_ID.get(execution));
			AutoAssignConfig config = settings.get(companyId);
			Map<String, Object> fields = json.convertValue(config, json.getTypeFactory()
				.constructMapType(Map.class, String.class, Object.class));
			SettingsForm.toForm(config, fields);
			execution.setVariables(fields);
			Variables.VALIDATION_ERRORS.set(execution, null);
		};
	}

	/** Task_ApplySettings: validates and applies the form's values; sets settingsValid. */
	@Bean
	JavaDelegate applySettings(SettingsService settings, ObjectMapper json) {
		return LifecycleDelegates.retryable((DelegateExecution execution) -> {
			String companyId = Variables.COMPANY_ID.get(execution);
			ObjectNode document = json.createObjectNode();
			for (String field : SettingsService.fieldNames()) {
				Object value = execution.getVariable(field);
				if (SettingsForm.isList(field)) {
					if (value != null) { // absent from the form: kept as it is
						document.set(field, SettingsForm.fromForm(field, value));
					}
					continue;
				}
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
				Variables.SETTINGS_VALID.set(execution, true);
				Variables.VALIDATION_ERRORS.set(execution, null);
			}
			catch (InvalidInputException ex) {
				Variables.SETTINGS_VALID.set(execution, false);
				Variables.VALIDATION_ERRORS.set(execution, ex.errors()
					.stream()
					.map((error) -> error.field() + " " + error.message())
					.collect(Collectors.joining("; ")));
			}
		});
	}

}
