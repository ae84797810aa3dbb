package io.autoassign.lifecycle;

import java.util.Date;
import java.util.Set;

/**
 * What binds {@code processes/business-hours.bpmn}: an instance per company whose business hours
 * are set (business key and tenant id = company id), started again at each change of them, whose
 * timer "Team opens" dispatches the queue at each opening.
 */
public final class BusinessHoursProcess {

	public static final String KEY = "business-hours";

	private BusinessHoursProcess() {
	}

	/** The diagram's element ids. */
	public enum Element {

		StartEvent_HoursSet, Gateway_Opening, Task_OpenQueue, Gateway_HoursOn, Timer_Opening, EndEvent_NoOpening

	}

	/** The variables. */
	public static final class Variables {

		/** The company, read by the tenant id provider. */
		public static final ProcessVariable<String> COMPANY_ID = ProcessVariable.text("companyId");

		/** Whether the company's business hours are on. */
		public static final ProcessVariable<Boolean> HOURS_ENABLED = ProcessVariable.bool("hoursEnabled")
			.transientValue()
			.readByDiagram();

		/** The next opening, when the timer falls due; {@code null} when there is none within a year. */
		public static final ProcessVariable<Date> NEXT_OPENING = ProcessVariable.date("nextOpening").readByDiagram();

		private Variables() {
		}

	}

	static final ProcessBinding BINDING = ProcessBinding.of(KEY, "processes/business-hours.bpmn", Element.class,
			Set.of(), Variables.HOURS_ENABLED, Variables.NEXT_OPENING);

}
