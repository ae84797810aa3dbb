package io.autoassign.platform;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Opens an {@link AfterTransaction} scope around every engine command that starts a
 * transaction of its own (a job run by the job executor, a Tasklist form completed, a call
 * through the engine REST API), outside the engine's transaction interceptor: the work a job's
 * transaction hands over then runs on the job's thread after its connection was returned.
 * Commands that join a transaction already running (our services calling the engine) leave the
 * scope to whoever started that transaction.
 */
@Component
class EngineTransactionScopes extends AbstractProcessEnginePlugin {

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
				? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
		pre.add(0, new ScopeInterceptor());
		configuration.setCustomPreCommandInterceptorsTxRequired(pre);
	}

	private static final class ScopeInterceptor extends CommandInterceptor {

		@Override
		public <T> T execute(Command<T> command) {
			if (TransactionSynchronizationManager.isActualTransactionActive()) {
				return this.next.execute(command);
			}
			try (AfterTransaction.Scope scope = AfterTransaction.open()) {
				return this.next.execute(command);
			}
		}

	}

}
