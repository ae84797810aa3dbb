package io.autoassign.lifecycle;

import java.util.ArrayList;
import java.util.List;

import io.autoassign.assignment.ChatTransitions;
import io.autoassign.chat.CloseReason;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A chat whose lifecycle an operator cancels (Cockpit's "cancel", the engine REST API) is
 * closed with reason {@link CloseReason#CANCELLED} in the same transaction, freeing its agent's
 * slot or its place in the queue: otherwise it would stay open with no lifecycle, holding its
 * slot, and could never be closed. The listener is added when the process is parsed, as a
 * built-in one, so that cancelling with "skip custom listeners" (Cockpit's default) still runs it.
 */
@Component
class LifecycleCancellation extends AbstractProcessEnginePlugin {

	private final ObjectProvider<ChatTransitions> transitions;

	LifecycleCancellation(ObjectProvider<ChatTransitions> transitions) {
		// (a provider: engine plugins are built before the engine, and the transitions need beans
		// that need the engine; they are looked up when an instance is cancelled)
		this.transitions = transitions;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
				? new ArrayList<>() : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
		listeners.add(new AbstractBpmnParseListener() {

			@Override
			public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
				if (ChatLifecycleProcess.KEY.equals(processDefinition.getKey())) {
					processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END,
							(ExecutionListener) LifecycleCancellation.this::ended);
				}
			}

		});
		configuration.setCustomPostBPMNParseListeners(listeners);
	}

	private void ended(DelegateExecution execution) {
		// the process instance itself, ended by a cancellation rather than one of its end events
		if (execution.isCanceled() && execution.getId().equals(execution.getProcessInstanceId())) {
			this.transitions.getObject()
				.close(execution.getTenantId(), execution.getProcessBusinessKey(), CloseReason.CANCELLED);
		}
	}

}
