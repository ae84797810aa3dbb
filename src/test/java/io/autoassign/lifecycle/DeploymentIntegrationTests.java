package io.autoassign.lifecycle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.autoassign.AutoAssignApplication;
import io.autoassign.support.IntegrationTest;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DeploymentIntegrationTests {

	@Autowired
	RepositoryService repository;

	@Autowired
	DataSource dataSource;

	@TempDir
	Path folder;

	@Test
	void everyProcessIsDeployedUnderItsStableNameWithHistoryTimeToLive() {
		var deployment = this.repository.createDeploymentQuery()
			.deploymentName(ProcessDeployer.DEPLOYMENT_NAME)
			.orderByDeploymentTime()
			.desc()
			.list()
			.get(0);
		assertThat(this.repository.createProcessDefinitionQuery().latestVersion().list())
			.filteredOn((definition) -> definition.getResourceName().startsWith("processes/"))
			.extracting((definition) -> definition.getKey())
			.contains(ChatLifecycleProcess.KEY, OfflineGraceProcess.KEY, RebalanceProcess.KEY,
					QueueDispatchProcess.KEY);
		this.repository.createProcessDefinitionQuery().latestVersion().list().forEach((definition) -> {
			assertThat(definition.getHistoryTimeToLive()).as(definition.getKey()).isNotNull().isPositive();
			assertThat(definition.getResourceName()).doesNotContain(":").doesNotStartWith("/");
		});
		assertThat(deployment.getSource()).isEqualTo(ProcessDeployer.DEPLOYMENT_NAME);
	}

	@Test
	void jobAcquisitionByDueDateHasItsIndexAfterEveryStart() throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				ResultSet indexes = connection.getMetaData().getIndexInfo(null, null, "act_ru_job", false, false)) {
			List<String> dueDateIndexes = new ArrayList<>();
			while (indexes.next()) {
				if ("duedate_".equalsIgnoreCase(indexes.getString("COLUMN_NAME"))) {
					dueDateIndexes.add(indexes.getString("INDEX_NAME"));
				}
			}
			assertThat(dueDateIndexes).containsExactly(JobDueDateIndex.NAME.toLowerCase(Locale.ROOT));
		}
	}

	@Test
	void aRestartWithUnchangedFilesDeploysNothing() {
		long before = this.repository.createDeploymentQuery().count();
		int version = latestVersion(ChatLifecycleProcess.KEY);
		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(AutoAssignApplication.class)
			.profiles("test")
			.run("--server.port=0")) {
			assertThat(restarted.isActive()).isTrue();
		}
		assertThat(this.repository.createDeploymentQuery().count()).isEqualTo(before);
		assertThat(latestVersion(ChatLifecycleProcess.KEY)).isEqualTo(version);
	}

	@Test
	void aChangedBpmnBecomesANewVersionOfThatProcessOnly() throws Exception {
		Path processes = Files.createDirectories(this.folder.resolve("processes"));
		String original = new ClassPathResource("processes/agent-rebalance.bpmn").getContentAsString(StandardCharsets.UTF_8);
		for (String name : new String[] { "chat-lifecycle.bpmn", "agent-offline-grace.bpmn", "queue-dispatch.bpmn" }) {
			Files.writeString(processes.resolve(name),
					new ClassPathResource("processes/" + name).getContentAsString(StandardCharsets.UTF_8));
		}
		int rebalance = latestVersion(RebalanceProcess.KEY);
		int lifecycle = latestVersion(ChatLifecycleProcess.KEY);
		Files.writeString(processes.resolve("agent-rebalance.bpmn"),
				original.replace("name=\"Loads balanced\"", "name=\"Loads are balanced\""));
		new ProcessDeployer(this.repository, "file:" + this.folder + "/").deploy();
		assertThat(latestVersion(RebalanceProcess.KEY)).isEqualTo(rebalance + 1);
		assertThat(latestVersion(ChatLifecycleProcess.KEY)).isEqualTo(lifecycle);
		// back to the file as it is on the classpath
		Files.writeString(processes.resolve("agent-rebalance.bpmn"), original);
		new ProcessDeployer(this.repository, "file:" + this.folder + "/").deploy();
		assertThat(latestVersion(RebalanceProcess.KEY)).isEqualTo(rebalance + 2);
	}

	@Test
	void aChangedDiagramThatLacksWhatTheCodeBindsToIsRefusedAndTheLastGoodVersionStays(CapturedOutput output)
			throws Exception {
		Path processes = Files.createDirectories(this.folder.resolve("processes"));
		String original = new ClassPathResource("processes/chat-lifecycle.bpmn").getContentAsString(StandardCharsets.UTF_8);
		int lifecycle = latestVersion(ChatLifecycleProcess.KEY);
		int dispatch = latestVersion(QueueDispatchProcess.KEY);
		// a designer renamed the inactivity timer in Modeler; another diagram changed harmlessly
		Files.writeString(processes.resolve("chat-lifecycle.bpmn"), original.replace("Timer_Inactivity", "Timer_Idle"));
		Files.writeString(processes.resolve("queue-dispatch.bpmn"),
				new ClassPathResource("processes/queue-dispatch.bpmn").getContentAsString(StandardCharsets.UTF_8)
					.replace("name=\"Queue dispatched\"", "name=\"Queue is dispatched\""));

		new ProcessDeployer(this.repository, "file:" + this.folder + "/").deploy();

		assertThat(latestVersion(ChatLifecycleProcess.KEY)).isEqualTo(lifecycle);
		assertThat(latestVersion(QueueDispatchProcess.KEY)).isEqualTo(dispatch + 1);
		assertThat(output.getOut()).contains("Not deploying processes/chat-lifecycle.bpmn")
			.contains("processes/chat-lifecycle.bpmn lacks the element Timer_Inactivity")
			.contains("Version " + lifecycle + " of chat-lifecycle stays in use");
		// back to the file as it is on the classpath
		Files.writeString(processes.resolve("queue-dispatch.bpmn"),
				new ClassPathResource("processes/queue-dispatch.bpmn").getContentAsString(StandardCharsets.UTF_8));
		Files.delete(processes.resolve("chat-lifecycle.bpmn"));
		new ProcessDeployer(this.repository, "file:" + this.folder + "/").deploy();
		assertThat(latestVersion(QueueDispatchProcess.KEY)).isEqualTo(dispatch + 2);
	}

	private int latestVersion(String key) {
		return this.repository.createProcessDefinitionQuery()
			.processDefinitionKey(key)
			.latestVersion()
			.singleResult()
			.getVersion();
	}

}
