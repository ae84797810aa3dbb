package io.autoassign.lifecycle;

import java.util.Set;

/**
 * What binds {@code processes/queue-dispatch.bpmn}: an instance per company whose queue may
 * move at once for many agents (business key and tenant id = company id), which dispatches it
 * chunk by chunk, each chunk a job of its own.
 */
public final class QueueDispatchProcess {

	public static final String KEY = "queue-dispatch";

	private QueueDispatchProcess() {
	}

	/** The diagram's element ids. */
	public enum Element {

		StartEvent_CapacityAppeared, Gateway_NextChunk, Task_Dispatch, Gateway_More, EndEvent_Dispatched

	}

	/** The variables (transient: each steers the transaction that sets it). */
	public static final class Variables {

		/** The company, read by the tenant id provider. */
		public static final ProcessVariable<String> COMPANY_ID = ProcessVariable.text("companyId").transientValue();

		/** Whether another chunk follows. */
		public static final ProcessVariable<Boolean> MORE_TO_DISPATCH = ProcessVariable.bool("moreToDispatch")
			.transientValue()
			.readByDiagram();

		private Variables() {
		}

	}

	static final ProcessBinding BINDING = ProcessBinding.of(KEY, "processes/queue-dispatch.bpmn", Element.class,
			Set.of(), Variables.MORE_TO_DISPATCH);

}
