package io.autoassign.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.autoassign.assignment.ChatTransitions;
import io.autoassign.availability.AvailabilityProcesses;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatLifecycle;
import io.autoassign.chat.Priority;
import io.autoassign.chat.PriorityChange;
import io.autoassign.events.UnassignReason;
import io.autoassign.queue.QueueProcesses;
import io.autoassign.settings.AutoAssignConfig;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;

import org.springframework.stereotype.Component;

/**
 * Starts the lifecycle processes and delivers their messages, for the features that ask for it
 * through their own interfaces ({@link ChatLifecycle}, {@link QueueProcesses},
 * {@link AvailabilityProcesses}). Messages are correlated by process instance id (stored with
 * the chat), the cheapest and the only unambiguous key.
 */
@Component
class ChatProcesses implements ChatLifecycle, QueueProcesses, AvailabilityProcesses {

	/** How long the latest lifecycle definition is trusted before the engine is asked again. */
	private static final long DEFINITION_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

	private final RuntimeService runtime;

	private final RepositoryService repository;

	private final ProcessEngineConfigurationImpl engine;

	private volatile LatestDefinition latest;

	private final ChatTransitions transitions;

	ChatProcesses(RuntimeService runtime, RepositoryService repository, ProcessEngineConfigurationImpl engine,
			ChatTransitions transitions) {
		this.runtime = runtime;
		this.repository = repository;
		this.engine = engine;
		this.transitions = transitions;
	}

	@Override
	public List<String> startChats(List<Start> chats) {
		return this.engine.getCommandExecutorTxRequired().execute((context) -> {
			List<String> ids = new ArrayList<>(chats.size());
			for (Start chat : chats) {
				ids.add(startChat(chat.chat(), chat.config(), chat.inactivityDueAt()));
			}
			return ids;
		});
	}

	/** Starts a chat's lifecycle; returns the process instance id. */
	private String startChat(Chat chat, AutoAssignConfig config, Instant inactivityDueAt) {
		VariableMap variables = Variables.createVariables();
		ChatLifecycleProcess.Variables.COMPANY_ID.putInto(variables, chat.companyId());
		ChatLifecycleProcess.Variables.AUTO_MENU_ENABLED.putInto(variables, config.autoMenuEnabled());
		ChatLifecycleProcess.Variables.MENU_TIMEOUT_MINUTES.putInto(variables, config.menuTimeoutMinutes());
		ChatLifecycleProcess.Variables.INACTIVITY_DUE_AT.putInto(variables, Date.from(inactivityDueAt));
		ChatLifecycleProcess.Variables.NO_REPLY_WATCHED.putInto(variables, config.noReplyReassignEnabled());
		ProcessInstance instance = this.runtime.createProcessInstanceById(latestDefinitionId())
			.businessKey(chat.chatId())
			.setVariables(variables)
			.execute();
		return instance.getId();
	}

	@Override
	public void menuSelected(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.MENU_SELECTED, null,
				"Chat " + chat.chatId() + " is not waiting for a menu selection");
	}

	@Override
	public void takeOver(Chat chat, String adminId) {
		correlate(chat, ChatLifecycleProcess.Messages.ADMIN_TAKEOVER,
				ChatLifecycleProcess.Variables.ADMIN_ID.putInto(Variables.createVariables(), adminId),
				"Chat " + chat.chatId() + " cannot be taken over in its current state");
	}

	@Override
	public void retakeOver(Chat chat, String adminId) {
		// No process change: the chat's lifecycle already waits as TAKEN_OVER.
		this.transitions.retakeOver(chat, adminId);
	}

	@Override
	public void reprioritize(Chat chat, Priority priority, PriorityChange reason, Instant agingSince) {
		// No process change: the queue's order is the routing state's.
		this.transitions.reprioritize(chat, priority, reason, agingSince);
	}

	@Override
	public void close(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.CLOSE, null, "Chat " + chat.chatId() + " is already closed");
	}

	/** The chat's preferred agent may take a chat now: the chat is routed again. */
	void preferredAgentFree(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.PREFERRED_AGENT_FREE, null,
				"Chat " + chat.chatId() + " is not waiting for its preferred agent");
	}

	@Override
	public void dequeued(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.DEQUEUED, null,
				"Chat " + chat.chatId() + " is not waiting in the queue");
	}

	@Override
	public void reroute(Chat chat, UnassignReason reason) {
		correlate(chat, ChatLifecycleProcess.Messages.UNASSIGNED,
				ChatLifecycleProcess.Variables.UNASSIGN_REASON.putInto(Variables.createVariables(), reason),
				"Chat " + chat.chatId() + " is not in conversation with an agent");
	}

	@Override
	public void resume(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.AUTO_ASSIGN_RESUMED, null,
				"Chat " + chat.chatId() + " is not waiting for auto-assign");
	}

	@Override
	public String startOfflineGrace(String companyId, String agentId, int gracePeriodMinutes) {
		VariableMap variables = OfflineGraceProcess.Variables.COMPANY_ID.putInto(Variables.createVariables(), companyId);
		OfflineGraceProcess.Variables.GRACE_PERIOD_MINUTES.putInto(variables, gracePeriodMinutes);
		return this.runtime.createProcessInstanceByKey(OfflineGraceProcess.KEY)
			.businessKey(agentId)
			.setVariables(variables)
			.execute()
			.getId();
	}

	@Override
	public boolean cancelOfflineGrace(String processInstanceId) {
		// Look before correlating: a failed engine command would doom the surrounding transaction.
		// Should the timer fire in between, the correlation loses an optimistic lock and the
		// transaction runs again, finding nothing to cancel.
		long waiting = this.runtime.createEventSubscriptionQuery()
			.processInstanceId(processInstanceId)
			.eventType("message")
			.eventName(OfflineGraceProcess.MESSAGE_BACK_ONLINE)
			.count();
		if (waiting == 0) {
			return false;
		}
		this.runtime.createMessageCorrelation(OfflineGraceProcess.MESSAGE_BACK_ONLINE)
			.processInstanceId(processInstanceId)
			.correlateWithResult();
		return true;
	}

	@Override
	public void startRebalance(String companyId, String agentId) {
		this.runtime.createProcessInstanceByKey(RebalanceProcess.KEY)
			.businessKey(agentId)
			.setVariables(RebalanceProcess.Variables.COMPANY_ID.putInto(Variables.createVariables(), companyId))
			.execute();
	}

	@Override
	public void startDispatch(String companyId) {
		this.runtime.createProcessInstanceByKey(QueueDispatchProcess.KEY)
			.businessKey(companyId)
			.setVariables(QueueDispatchProcess.Variables.COMPANY_ID.putInto(Variables.createVariables(), companyId))
			.execute();
	}

	/**
	 * The latest chat-lifecycle definition. Looking it up by key costs a query per start (the
	 * engine caches definitions by id only), so the id is kept for a few seconds: a newer
	 * version deployed by another node is picked up within that time.
	 */
	private String latestDefinitionId() {
		LatestDefinition current = this.latest;
		long now = System.nanoTime();
		if (current == null || now - current.loadedAt() > DEFINITION_TTL_NANOS) {
			ProcessDefinition definition = this.repository.createProcessDefinitionQuery()
				.processDefinitionKey(ChatLifecycleProcess.KEY)
				.withoutTenantId()
				.latestVersion()
				.singleResult();
			if (definition == null) {
				throw new IllegalStateException("The chat lifecycle process is not deployed");
			}
			current = new LatestDefinition(definition.getId(), now);
			this.latest = current;
		}
		return current.id();
	}

	private record LatestDefinition(String id, long loadedAt) {
	}

	private void correlate(Chat chat, String message, VariableMap variables, String mismatch) {
		if (chat.processInstanceId() == null) {
			throw new LifecycleMismatchException(mismatch);
		}
		try {
			var correlation = this.runtime.createMessageCorrelation(message).processInstanceId(chat.processInstanceId());
			if (variables != null) {
				correlation.setVariables(variables);
			}
			correlation.correlateWithResult();
		}
		catch (MismatchingMessageCorrelationException ex) {
			throw new LifecycleMismatchException(mismatch);
		}
	}

}
