package io.autoassign.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The engine's history at the shipped level ({@code activity}) without the steps nobody reads.
 * <p>
 * Kept, as Camunda writes them: every process instance (start, end, business key, tenant), every
 * user task, and the activity instances of the steps a support lead follows a chat by (created,
 * the menu, waiting for auto-assign, for the preferred agent, in the queue, in conversation,
 * taken over, close requested, closed, auto-closed, and the events and timers that moved it).
 * Dropped: the activity instances of gateways (they decide in no time) and of the elements the
 * diagram marks as internal with the extension property {@code history = internal} (the routing
 * decision, the queue's bookkeeping, the inactivity and reply watches' checks and timers): each
 * costs an insert and an update per chat and says nothing the kept steps do not.
 * <p>
 * {@code auto-assign.history.lean=false} ({@code AUTO_ASSIGN_HISTORY_LEAN}) writes Camunda's full
 * activity history again. Nothing the service does reads the dropped rows.
 */
@Component
public class LeanHistory extends AbstractProcessEnginePlugin {

	/** The extension property (and its value) that marks an element's history as internal. */
	static final String PROPERTY = "history";

	static final String INTERNAL = "internal";

	private final boolean enabled;

	LeanHistory(@Value("${auto-assign.history.lean:true}") boolean enabled) {
		this.enabled = enabled;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		if (this.enabled) {
			configuration.setHistoryEventHandler(handler());
		}
	}

	/** The handler the service installs (public for the engine-only benchmark baseline). */
	public static HistoryEventHandler handler() {
		return new Handler(new DbHistoryEventHandler());
	}

	/** Hands every history event to the database except the activity instances that are dropped. */
	static final class Handler implements HistoryEventHandler {

		private final HistoryEventHandler database;

		/** Whether the activity instances of (process definition, activity) are kept. */
		private final Map<String, Boolean> kept = new ConcurrentHashMap<>();

		Handler(HistoryEventHandler database) {
			this.database = database;
		}

		@Override
		public void handleEvent(HistoryEvent event) {
			if (keeps(event)) {
				this.database.handleEvent(event);
			}
		}

		@Override
		public void handleEvents(List<HistoryEvent> events) {
			for (HistoryEvent event : events) {
				handleEvent(event);
			}
		}

		private boolean keeps(HistoryEvent event) {
			if (!(event instanceof HistoricActivityInstanceEventEntity activity)) {
				return true;
			}
			String type = activity.getActivityType();
			if (type != null && type.endsWith("Gateway")) {
				return false;
			}
			String definition = activity.getProcessDefinitionId();
			String activityId = activity.getActivityId();
			if (definition == null || activityId == null) {
				return true;
			}
			return this.kept.computeIfAbsent(definition + '|' + activityId,
					(key) -> !markedInternal(definition, activityId));
		}

		private static boolean markedInternal(String definition, String activityId) {
			BpmnModelInstance model = Context.getProcessEngineConfiguration()
				.getDeploymentCache()
				.findBpmnModelInstanceForProcessDefinition(definition);
			ModelElementInstance element = model == null ? null : model.getModelElementById(activityId);
			return element instanceof BaseElement base && markedInternal(base);
		}

		static boolean markedInternal(BaseElement element) {
			ExtensionElements extensions = element.getExtensionElements();
			if (extensions == null) {
				return false;
			}
			for (CamundaProperties properties : extensions.getChildElementsByType(CamundaProperties.class)) {
				for (CamundaProperty property : properties.getCamundaProperties()) {
					if (PROPERTY.equals(property.getCamundaName()) && INTERNAL.equals(property.getCamundaValue())) {
						return true;
					}
				}
			}
			return false;
		}

	}

}
