package io.autoassign.lifecycle;

import java.util.Set;

/**
 * What binds {@code processes/auto-assign-settings.bpmn}: an admin edits a company's
 * configuration in a Tasklist form (start form: the company), validated by the same rules as
 * the REST API and applied exactly as a PATCH; the form is shown again while it is invalid.
 */
public final class SettingsProcess {

	public static final String KEY = "auto-assign-settings";

	private SettingsProcess() {
	}

	/** The diagram's element ids. */
	public enum Element {

		StartEvent_SettingsRequested, Task_LoadSettings, Gateway_Edit, UserTask_EditSettings, Task_ApplySettings,
		Gateway_Valid, EndEvent_SettingsApplied

	}

	/** The variables (kept while the form waits; the configuration's fields are variables too). */
	public static final class Variables {

		/** Start form: the company whose settings change. */
		public static final ProcessVariable<String> COMPANY_ID = ProcessVariable.text("companyId");

		/** Whether the last submission was applied. */
		public static final ProcessVariable<Boolean> SETTINGS_VALID = ProcessVariable.bool("settingsValid")
			.readByDiagram();

		/** What was wrong with the last submission, one line per field. */
		public static final ProcessVariable<String> VALIDATION_ERRORS = ProcessVariable.text("validationErrors");

		private Variables() {
		}

	}

	static final ProcessBinding BINDING = ProcessBinding.of(KEY, "processes/auto-assign-settings.bpmn",
			Element.class, Set.of(), Variables.SETTINGS_VALID);

}
