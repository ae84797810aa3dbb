package io.autoassign.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A diagram that lacks what the code binds to, with no earlier version deployed to fall back on
 * (a new database): the service must not start on it. (With an earlier version, see
 * {@code DeploymentIntegrationTests}.)
 */
class ProcessDeployerTests {

	@TempDir
	Path folder;

	@Test
	void aBrokenDiagramWithNoEarlierVersionStopsTheStartAndNamesTheFileAndWhatItLacks() throws Exception {
		Path processes = Files.createDirectories(this.folder.resolve("processes"));
		Files.writeString(processes.resolve("chat-lifecycle.bpmn"),
				Files.readString(Path.of("processes/chat-lifecycle.bpmn")).replace("Timer_Inactivity", "Timer_Idle"));
		RepositoryService repository = mock(RepositoryService.class, RETURNS_DEEP_STUBS);
		when(repository.createProcessDefinitionQuery()
			.processDefinitionKey(anyString())
			.withoutTenantId()
			.latestVersion()
			.singleResult()).thenReturn(null);
		DeploymentBuilder builder = repository.createDeployment()
			.name(ProcessDeployer.DEPLOYMENT_NAME)
			.source(ProcessDeployer.DEPLOYMENT_NAME)
			.enableDuplicateFiltering(true);

		assertThatThrownBy(() -> new ProcessDeployer(repository, "file:" + this.folder + "/").deploy())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Cannot deploy processes/chat-lifecycle.bpmn")
			.hasMessageContaining("no earlier version of chat-lifecycle is deployed")
			.hasMessageContaining("processes/chat-lifecycle.bpmn lacks the element Timer_Inactivity");
		verify(builder, never()).deployWithResult();
	}

}
