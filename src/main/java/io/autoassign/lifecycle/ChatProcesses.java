package io.autoassign.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.autoassign.chat.Chat;
import io.autoassign.events.UnassignReason;
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
 * Starts the lifecycle processes and delivers their messages. Messages are correlated by
 * process instance id (stored with the chat), the cheapest and the only unambiguous key.
 */
@Component
public class ChatProcesses {

	/** How long the latest lifecycle definition is trusted before the engine is asked again. */
	private static final long DEFINITION_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

	private final RuntimeService runtime;

	private final RepositoryService repository;

	private final ProcessEngineConfigurationImpl engine;

	private volatile LatestDefinition latest;

	ChatProcesses(RuntimeService runtime, RepositoryService repository, ProcessEngineConfigurationImpl engine) {
		this.runtime = runtime;
		this.repository = repository;
		this.engine = engine;
	}

	/** What a new chat's lifecycle starts with. */
	public record NewChat(Chat chat, AutoAssignConfig config, Instant inactivityDueAt) {
	}

	/**
	 * Starts the lifecycles of several chats in one engine command, so that the engine writes
	 * them together (one batch per table instead of one per chat); returns their process
	 * instance ids in order. A failure of one fails all: the caller's transaction rolls back.
	 */
	public List<String> startChats(List<NewChat> chats) {
		return this.engine.getCommandExecutorTxRequired().execute((context) -> {
			List<String> ids = new ArrayList<>(chats.size());
			for (NewChat chat : chats) {
				ids.add(startChat(chat.chat(), chat.config(), chat.inactivityDueAt()));
			}
			return ids;
		});
	}

	/** Starts a chat's lifecycle; returns the process instance id. */
	public String startChat(Chat chat, AutoAssignConfig config, Instant inactivityDueAt) {
		VariableMap variables = Variables.createVariables()
			.putValueTyped(ChatLifecycleProcess.Variables.COMPANY_ID, Variables.stringValue(chat.companyId(), true))
			.putValueTyped(ChatLifecycleProcess.Variables.AUTO_MENU_ENABLED,
					Variables.booleanValue(config.autoMenuEnabled(), true))
			.putValueTyped(ChatLifecycleProcess.Variables.MENU_TIMEOUT_MINUTES,
					Variables.integerValue(config.menuTimeoutMinutes(), true))
			.putValueTyped(ChatLifecycleProcess.Variables.INACTIVITY_DUE_AT,
					Variables.dateValue(Date.from(inactivityDueAt), true));
		ProcessInstance instance = this.runtime.createProcessInstanceById(latestDefinitionId())
			.businessKey(chat.chatId())
			.setVariables(variables)
			.execute();
		return instance.getId();
	}

	/** The customer picked an Auto-Menu option (the group is already on the chat). */
	public void menuSelected(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.MENU_SELECTED, null,
				"Chat " + chat.chatId() + " is not waiting for a menu selection");
	}

	/** An admin takes the chat over. */
	public void takeOver(Chat chat, String adminId) {
		correlate(chat, ChatLifecycleProcess.Messages.ADMIN_TAKEOVER,
				Variables.createVariables()
					.putValueTyped(ChatLifecycleProcess.Variables.ADMIN_ID, Variables.stringValue(adminId, true)),
				"Chat " + chat.chatId() + " cannot be taken over in its current state");
	}

	/** The chat is closed by the host platform. */
	public void close(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.CLOSE, null, "Chat " + chat.chatId() + " is already closed");
	}

	/** A queued chat was assigned by the queue dispatcher. */
	public void dequeued(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.DEQUEUED, null,
				"Chat " + chat.chatId() + " is not waiting in the queue");
	}

	/** The chat's agent is gone ({@code reason}): route it again. */
	public void reroute(Chat chat, UnassignReason reason) {
		correlate(chat, ChatLifecycleProcess.Messages.UNASSIGNED,
				Variables.createVariables()
					.putValueTyped(ChatLifecycleProcess.Variables.UNASSIGN_REASON,
							Variables.stringValue(reason.name(), true)),
				"Chat " + chat.chatId() + " is not in conversation with an agent");
	}

	/** Auto-assign is enabled again: route the pending chat. */
	public void resume(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.AUTO_ASSIGN_RESUMED, null,
				"Chat " + chat.chatId() + " is not waiting for auto-assign");
	}

	/** Starts an agent's offline grace period; returns the process instance id. */
	public String startOfflineGrace(String companyId, String agentId, int gracePeriodMinutes) {
		return this.runtime.createProcessInstanceByKey(AgentProcesses.OFFLINE_GRACE_KEY)
			.businessKey(agentId)
			.setVariables(Variables.createVariables()
				.putValueTyped(ChatLifecycleProcess.Variables.COMPANY_ID, Variables.stringValue(companyId, true))
				.putValueTyped(AgentProcesses.GRACE_PERIOD_MINUTES, Variables.integerValue(gracePeriodMinutes, true)))
			.execute()
			.getId();
	}

	/** Cancels a waiting offline grace period; false when it is past waiting. */
	public boolean cancelOfflineGrace(String processInstanceId) {
		// Look before correlating: a failed engine command would doom the surrounding transaction.
		// Should the timer fire in between, the correlation loses an optimistic lock and the
		// transaction runs again, finding nothing to cancel.
		long waiting = this.runtime.createEventSubscriptionQuery()
			.processInstanceId(processInstanceId)
			.eventType("message")
			.eventName(AgentProcesses.MESSAGE_BACK_ONLINE)
			.count();
		if (waiting == 0) {
			return false;
		}
		this.runtime.createMessageCorrelation(AgentProcesses.MESSAGE_BACK_ONLINE)
			.processInstanceId(processInstanceId)
			.correlateWithResult();
		return true;
	}

	/** Starts re-balancing chats to an agent that came online. */
	public void startRebalance(String companyId, String agentId) {
		this.runtime.createProcessInstanceByKey(AgentProcesses.REBALANCE_KEY)
			.businessKey(agentId)
			.setVariables(companyOnly(companyId))
			.execute();
	}

	/** Starts dispatching the company's queued and pending chats. */
	public void startDispatch(String companyId) {
		this.runtime.createProcessInstanceByKey(AgentProcesses.QUEUE_DISPATCH_KEY)
			.businessKey(companyId)
			.setVariables(companyOnly(companyId))
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

	private static VariableMap companyOnly(String companyId) {
		return Variables.createVariables()
			.putValueTyped(ChatLifecycleProcess.Variables.COMPANY_ID, Variables.stringValue(companyId, true));
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
