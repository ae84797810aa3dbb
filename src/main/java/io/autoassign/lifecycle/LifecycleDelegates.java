package io.autoassign.lifecycle;

import java.util.Date;

import io.autoassign.assignment.ChatRouting;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.CloseReason;
import io.autoassign.queue.QueueDispatcher;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;
import io.autoassign.platform.Transactions;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delegates the BPMN names in {@code camunda:delegateExpression}. Each is thin: it reads
 * who it works for from the execution (tenant id = company, business key = chat or agent),
 * calls the feature's service and writes the transient variables its gateways read.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleDelegates {

	/**
	 * A delegate whose lost races (a deadlock, a lock timeout, routing state being rebuilt)
	 * surface as the engine's {@link OptimisticLockingException}: the job executor then runs the
	 * job again without using up a retry or raising an incident, and a request simply retries.
	 */
	static JavaDelegate retryable(JavaDelegate delegate) {
		return (execution) -> {
			try {
				delegate.execute(execution);
			}
			catch (OptimisticLockingException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				if (Transactions.isRetryable(ex)) {
					OptimisticLockingException conflict = new OptimisticLockingException(
							"Lost a race in " + execution.getCurrentActivityId() + ", to be retried: " + ex);
					conflict.initCause(ex);
					throw conflict;
				}
				throw ex;
			}
		};
	}

	/** Task_AssignAgent: route the chat; sets routingOutcome. */
	@Bean
	JavaDelegate assignChat(ChatRouting routing) {
		return retryable((execution) -> {
			ChatRouting.Result result = routing.route(execution.getTenantId(), execution.getProcessBusinessKey());
			execution.setVariable(ChatLifecycleProcess.Variables.ROUTING_OUTCOME,
					Variables.stringValue(result.outcome().name(), true));
		});
	}

	/** Task_TakeOver: hand the chat to the admin named in adminId. */
	@Bean
	JavaDelegate takeOverChat(ChatTransitions transitions) {
		return retryable((execution) -> transitions.takeOver(execution.getTenantId(), execution.getProcessBusinessKey(),
				(String) execution.getVariable(ChatLifecycleProcess.Variables.ADMIN_ID)));
	}

	/** Task_CloseChat: closed by the host platform. */
	@Bean
	JavaDelegate closeChat(ChatTransitions transitions) {
		return retryable((execution) -> transitions.close(execution.getTenantId(), execution.getProcessBusinessKey(),
				CloseReason.CLOSED));
	}

	/** Task_AutoClose: closed for inactivity. */
	@Bean
	JavaDelegate closeInactiveChat(ChatTransitions transitions) {
		return retryable((execution) -> transitions.close(execution.getTenantId(), execution.getProcessBusinessKey(),
				CloseReason.INACTIVITY));
	}

	/** Task_CheckInactivity: sets inactive and, for the next round, inactivityDueAt. */
	@Bean
	JavaDelegate checkInactivity(ChatStore chats, SettingsService settings, java.time.Clock clock) {
		return retryable((DelegateExecution execution) -> {
			String companyId = execution.getTenantId();
			Chat chat = chats.find(companyId, execution.getProcessBusinessKey()).orElseThrow();
			AutoAssignConfig config = settings.get(companyId);
			var now = clock.instant();
			execution.setVariable(ChatLifecycleProcess.Variables.INACTIVE,
					Variables.booleanValue(Inactivity.inactive(chat, config, now), true));
			execution.setVariable(ChatLifecycleProcess.Variables.INACTIVITY_DUE_AT,
					Variables.dateValue(Date.from(Inactivity.nextCheck(chat, config, now)), true));
		});
	}

	/** Task_ReassignChats of the offline grace process. */
	@Bean
	JavaDelegate reassignAgentChats(AgentAvailability availability) {
		return retryable((execution) -> availability.reassignChatsOf(execution.getTenantId(),
				execution.getProcessBusinessKey()));
	}

	/** Task_Rebalance of the re-balancing process. */
	@Bean
	JavaDelegate rebalanceChats(Rebalancer rebalancer) {
		return retryable((execution) -> rebalancer.rebalanceTo(execution.getTenantId(), execution.getProcessBusinessKey()));
	}

	/** Task_Dispatch of the queue dispatch process; sets moreToDispatch. */
	@Bean
	JavaDelegate dispatchQueue(QueueDispatcher dispatcher) {
		return retryable((execution) -> execution.setVariable(AgentProcesses.MORE_TO_DISPATCH,
				Variables.booleanValue(dispatcher.dispatchChunk(execution.getTenantId()), true)));
	}

}
