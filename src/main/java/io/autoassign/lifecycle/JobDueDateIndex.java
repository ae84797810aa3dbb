package io.autoassign.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

import org.springframework.stereotype.Component;

/**
 * Adds the index the job executor's acquisition needs once many chats wait: every open chat
 * holds an inactivity timer, and with acquisition by due date (application.yml) each
 * acquisition orders {@code ACT_RU_JOB} by {@code DUEDATE_}. The engine's schema has no index
 * on that column, so without this one every acquisition reads every waiting timer (tens of
 * milliseconds per query at 50,000 chats). Created after the engine created or updated its
 * schema; a second start finds it in place.
 */
@Component
class JobDueDateIndex extends AbstractProcessEnginePlugin {

	static final String NAME = "AA_IDX_JOB_DUEDATE";

	private ProcessEngineConfigurationImpl configuration;

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		this.configuration = configuration;
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine processEngine) {
		String table = this.configuration.getDatabaseTablePrefix() + "ACT_RU_JOB";
		try (Connection connection = this.configuration.getDataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create index if not exists " + NAME + " on " + table + " (DUEDATE_)");
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the job due-date index " + NAME, ex);
		}
	}

}
