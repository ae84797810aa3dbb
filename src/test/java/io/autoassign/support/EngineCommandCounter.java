package io.autoassign.support;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Counts the engine commands that a piece of work runs on the calling thread, outermost only: a
 * command called from inside another shares its context and its flush (one batch of SQL per
 * table), so the count is the number of separate round trips of engine writes.
 */
public final class EngineCommandCounter extends AbstractProcessEnginePlugin {

	private static final ThreadLocal<int[]> COUNTING = new ThreadLocal<>();

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
				? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
		pre.add(new CommandInterceptor() {
			@Override
			public <T> T execute(Command<T> command) {
				int[] count = COUNTING.get();
				if (count != null && Context.getCommandContext() == null) {
					count[0]++;
				}
				return this.next.execute(command);
			}
		});
		configuration.setCustomPreCommandInterceptorsTxRequired(pre);
	}

	/** Runs {@code work} on this thread and answers how many outermost engine commands it ran. */
	public int count(Runnable work) {
		COUNTING.set(new int[1]);
		try {
			work.run();
			return COUNTING.get()[0];
		}
		finally {
			COUNTING.remove();
		}
	}

}
