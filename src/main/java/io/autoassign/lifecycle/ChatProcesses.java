package io.autoassign.lifecycle;

import java.time.Instant;
import java.util.Date;

import io.autoassign.chat.Chat;
import io.autoassign.settings.AutoAssignConfig;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
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

	private final RuntimeService runtime;

	ChatProcesses(RuntimeService runtime) {
		this.runtime = runtime;
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
		ProcessInstance instance = this.runtime.createProcessInstanceByKey(ChatLifecycleProcess.KEY)
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

	/** The chat's agent is gone: route it again. */
	public void reroute(Chat chat) {
		correlate(chat, ChatLifecycleProcess.Messages.UNASSIGNED, null,
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
