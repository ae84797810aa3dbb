package io.autoassign.support;

import org.camunda.bpm.admin.Admin;
import org.camunda.bpm.admin.impl.DefaultAdminRuntimeDelegate;
import org.camunda.bpm.cockpit.Cockpit;
import org.camunda.bpm.cockpit.impl.DefaultCockpitRuntimeDelegate;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.tasklist.Tasklist;
import org.camunda.bpm.tasklist.impl.DefaultTasklistRuntimeDelegate;
import org.camunda.bpm.welcome.Welcome;
import org.camunda.bpm.welcome.impl.DefaultWelcomeRuntimeDelegate;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Keeps the shared application's engine and Camunda webapps working after a test has started and
 * closed an application of its own (a restart, a second cluster node) in the same JVM.
 * <p>
 * Camunda keeps JVM-wide state: the registry of engines by name ({@link ProcessEngines}), where the
 * engine REST API and the webapps look the engine up, and one runtime delegate per webapp
 * (Cockpit, Admin, Tasklist, Welcome). Closing the other application removes the engine name
 * "default" from the registry and sets the delegates to null, after which the shared
 * application's engine REST API answers "Process engine default not available" and its webapps
 * 500, for every later test class. A real deployment runs one application per JVM.
 */
public class EngineRegistration extends AbstractTestExecutionListener {

	@Override
	public void prepareTestInstance(TestContext testContext) {
		restore(testContext);
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		restore(testContext);
	}

	private static void restore(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ProcessEngine engine = testContext.getApplicationContext().getBean(ProcessEngine.class);
		if (ProcessEngines.getProcessEngines().get(engine.getName()) != engine) {
			ProcessEngines.registerProcessEngine(engine);
		}
		// what each webapp's container bootstrap sets up when its servlet context starts
		if (Cockpit.getRuntimeDelegate() == null) {
			Cockpit.setCockpitRuntimeDelegate(new DefaultCockpitRuntimeDelegate());
		}
		if (Admin.getRuntimeDelegate() == null) {
			Admin.setAdminRuntimeDelegate(new DefaultAdminRuntimeDelegate());
		}
		if (Tasklist.getRuntimeDelegate() == null) {
			Tasklist.setTasklistRuntimeDelegate(new DefaultTasklistRuntimeDelegate());
		}
		if (Welcome.getRuntimeDelegate() == null) {
			Welcome.setRuntimeDelegate(new DefaultWelcomeRuntimeDelegate());
		}
	}

}
