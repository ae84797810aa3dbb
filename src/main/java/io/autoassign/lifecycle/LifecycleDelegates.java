package io.autoassign.lifecycle;

import java.util.Date;

import io.autoassign.assignment.ChatRouting;
import io.autoassign.assignment.ChatTransitions;
import io.autoassign.assignment.NoReplyReassignment;
import io.autoassign.availability.AgentAvailability;
import io.autoassign.availability.Rebalancer;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.CloseReason;
import io.autoassign.chat.Inactivity;
import io.autoassign.events.QueueReason;
import io.autoassign.events.ChatAnnouncements;
import io.autoassign.platform.LockTimeouts;
import io.autoassign.platform.Transactions;
import io.autoassign.queue.QueueDispatcher;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.CompanyLockTimeout;
import io.autoassign.settings.SettingsService;
import io.autoassign.settings.Strategy;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delegates the BPMN names in {@code camunda:delegateExpression}; the building blocks of
 * the element templates. Each is thin: it reads who it works for from the execution (tenant
 * id = company, business key = chat or agent) and the template's inputs, calls the feature's
 * service and writes the transient variables its gateways read.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleDelegates {

	/**
	 * A delegate whose lost races (a deadlock, a lock timeout, routing state being rebuilt)
	 * surface as the engine's {@link OptimisticLockingException}: the job executor then runs the
	 * job again without raising an incident, and a request simply retries.
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
				if (Transactions.isRetryable(ex) || isBusy(ex)) {
					OptimisticLockingException conflict = new OptimisticLockingException(
							"Lost a race in " + execution.getCurrentActivityId() + ", to be retried: " + ex);
					conflict.initCause(ex);
					throw conflict;
				}
				throw ex;
			}
		};
	}

	/** A company lock not had in time: the job should run again later, not fail. */
	private static boolean isBusy(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof CompanyLockTimeout) {
				return true;
			}
		}
		return LockTimeouts.isLockTimeout(ex);
	}

	/** Template "assign by strategy": sets routingOutcome (ASSIGNED, NO_AGENT, PENDING, WAIT_FOR_PREFERRED) and, waiting for the preferred agent, preferredWaitUntil. */
	@Bean
	JavaDelegate assignChat(ChatRouting routing) {
		return retryable((execution) -> {
			String strategy = TemplateInputs.get(execution, TemplateInputs.STRATEGY);
			boolean ignoreGroup = "none".equals(TemplateInputs.get(execution, TemplateInputs.GROUP_FILTER));
			Date waitUntil = ChatLifecycleProcess.Variables.PREFERRED_WAIT_UNTIL.get(execution);
			ChatRouting.Result result = routing.assign(execution.getTenantId(), execution.getProcessBusinessKey(),
					strategy == null ? null : Strategy.fromValue(strategy)
						.orElseThrow(() -> new IllegalArgumentException("Unknown strategy input: " + strategy)),
					ignoreGroup, ChatLifecycleProcess.Variables.UNASSIGN_REASON.get(execution),
					waitUntil == null ? null : waitUntil.toInstant());
			ChatLifecycleProcess.Variables.ROUTING_OUTCOME.set(execution, result.outcome());
			if (result.preferredWaitUntil() != null) {
				ChatLifecycleProcess.Variables.PREFERRED_WAIT_UNTIL.set(execution, Date.from(result.preferredWaitUntil()));
			}
		});
	}

	/** Template "enqueue": sets queuePosition and queueEscalationAfter. */
	@Bean
	JavaDelegate enqueueChat(ChatRouting routing, QueueEscalation escalation) {
		return retryable((execution) -> {
			boolean anyAgent = "any".equals(TemplateInputs.get(execution, TemplateInputs.QUEUE_POOL));
			ChatRouting.Result result = routing.enqueue(execution.getTenantId(), execution.getProcessBusinessKey(),
					anyAgent);
			ChatLifecycleProcess.Variables.QUEUE_POSITION.set(execution, result.queuePosition());
			ChatLifecycleProcess.Variables.QUEUE_REASON.set(execution, result.outsideBusinessHours()
					? QueueReason.OUTSIDE_BUSINESS_HOURS : QueueReason.NO_AGENT_AVAILABLE);
			if (result.opensAt() != null) {
				ChatLifecycleProcess.Variables.OPENS_AT.set(execution, Date.from(result.opensAt()));
			}
			ChatLifecycleProcess.Variables.QUEUE_ESCALATION_AFTER.set(execution,
					escalation.waitBeforeEscalating(execution.getTenantId()));
		});
	}

	/** Template "publish event": announces the chat's state (input eventType). */
	@Bean
	JavaDelegate publishEvent(ChatAnnouncements announcements) {
		return retryable((execution) -> announcements.announce(execution.getTenantId(),
				execution.getProcessBusinessKey(), TemplateInputs.get(execution, TemplateInputs.EVENT_TYPE),
				ChatLifecycleProcess.Variables.QUEUE_POSITION.get(execution),
				ChatLifecycleProcess.Variables.QUEUE_REASON.get(execution), opensAt(execution)));
	}

	private static java.time.Instant opensAt(DelegateExecution execution) {
		Date opensAt = ChatLifecycleProcess.Variables.OPENS_AT.get(execution);
		return opensAt == null ? null : opensAt.toInstant();
	}

	/** Task_CheckNoReply (template "check no reply"): sets watchReplies and noReplyCheckAt. */
	@Bean
	JavaDelegate checkNoReply(NoReplyReassignment noReply) {
		return retryable((execution) -> {
			String missed = ChatLifecycleProcess.Variables.NO_REPLY_MISSED_BY.get(execution);
			Integer count = ChatLifecycleProcess.Variables.NO_REPLY_REASSIGNMENTS.get(execution);
			NoReplyReassignment.State state = new NoReplyReassignment.State(count == null ? 0 : count,
					missed == null || missed.isEmpty() ? java.util.List.of() : java.util.List.of(missed.split(",")),
					instant(ChatLifecycleProcess.Variables.NO_REPLY_CLOCK_FROM.get(execution)),
					instant(ChatLifecycleProcess.Variables.NO_REPLY_ESCALATED_FOR.get(execution)));
			NoReplyReassignment.Check check = noReply.check(execution.getTenantId(), execution.getProcessBusinessKey(),
					state);
			if (check.changed()) {
				NoReplyReassignment.State kept = check.state();
				ChatLifecycleProcess.Variables.NO_REPLY_REASSIGNMENTS.set(execution, kept.reassignments());
				ChatLifecycleProcess.Variables.NO_REPLY_MISSED_BY.set(execution, String.join(",", kept.missedBy()));
				ChatLifecycleProcess.Variables.NO_REPLY_CLOCK_FROM.set(execution, date(kept.clockFrom()));
				ChatLifecycleProcess.Variables.NO_REPLY_ESCALATED_FOR.set(execution, date(kept.escalatedFor()));
			}
			ChatLifecycleProcess.Variables.WATCH_REPLIES.set(execution, check.keepWatching());
			ChatLifecycleProcess.Variables.NO_REPLY_CHECK_AT.set(execution, date(check.nextCheckAt()));
		});
	}

	private static java.time.Instant instant(Date date) {
		return date == null ? null : date.toInstant();
	}

	private static Date date(java.time.Instant instant) {
		return instant == null ? null : Date.from(instant);
	}

	/** Template "close": closes the chat (input closeReason: CLOSED or INACTIVITY). */
	@Bean
	JavaDelegate closeChat(ChatTransitions transitions) {
		return retryable((execution) -> {
			String reason = TemplateInputs.get(execution, TemplateInputs.CLOSE_REASON);
			transitions.close(execution.getTenantId(), execution.getProcessBusinessKey(),
					reason == null ? CloseReason.CLOSED : CloseReason.valueOf(reason));
		});
	}

	/** Task_TakeOver: hand the chat to the admin named in adminId. */
	@Bean
	JavaDelegate takeOverChat(ChatTransitions transitions) {
		return retryable((execution) -> transitions.takeOver(execution.getTenantId(), execution.getProcessBusinessKey(),
				ChatLifecycleProcess.Variables.ADMIN_ID.get(execution)));
	}

	/** Task_CheckInactivity: sets inactive and, for the next round, inactivityDueAt. */
	@Bean
	JavaDelegate checkInactivity(ChatStore chats, SettingsService settings, java.time.Clock clock) {
		return retryable((DelegateExecution execution) -> {
			String companyId = execution.getTenantId();
			Chat chat = chats.find(companyId, execution.getProcessBusinessKey()).orElseThrow();
			AutoAssignConfig config = settings.get(companyId);
			var now = clock.instant();
			ChatLifecycleProcess.Variables.INACTIVE.set(execution, Inactivity.inactive(chat, config, now));
			ChatLifecycleProcess.Variables.INACTIVITY_DUE_AT.set(execution,
					Date.from(Inactivity.nextCheck(chat, config, now)));
		});
	}

	/** Task_PrepareEscalation: sets escalate and the admin form's variables. */
	@Bean
	JavaDelegate prepareQueueEscalation(QueueEscalation escalation) {
		return retryable(escalation::prepare);
	}

	/** Task_ApplyAdminChoice: sets queueOutcome. */
	@Bean
	JavaDelegate applyAdminChoice(QueueEscalation escalation) {
		return retryable(escalation::apply);
	}

	/** Template "reassign an agent's chats" (input agentId; default: the business key). */
	@Bean
	JavaDelegate reassignAgentChats(AgentAvailability availability) {
		return retryable((execution) -> availability.reassignChatsOf(execution.getTenantId(), agent(execution)));
	}

	/** Template "re-balance" (input agentId; default: the business key). */
	@Bean
	JavaDelegate rebalanceChats(Rebalancer rebalancer) {
		return retryable((execution) -> rebalancer.rebalanceTo(execution.getTenantId(), agent(execution)));
	}

	/** Task_Dispatch of the queue dispatch process; sets moreToDispatch. */
	@Bean
	JavaDelegate dispatchQueue(QueueDispatcher dispatcher) {
		return retryable((execution) -> QueueDispatchProcess.Variables.MORE_TO_DISPATCH.set(execution,
				dispatcher.dispatchChunk(execution.getTenantId())));
	}

	private static String agent(DelegateExecution execution) {
		String agentId = TemplateInputs.get(execution, TemplateInputs.AGENT_ID);
		return agentId != null ? agentId : execution.getProcessBusinessKey();
	}

}
