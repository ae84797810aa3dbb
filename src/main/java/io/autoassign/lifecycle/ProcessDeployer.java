package io.autoassign.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Deploys the top-level {@code processes/*.bpmn} and {@code forms/*.form} (copied onto the
 * classpath by the build) under stable resource names such as {@code processes/chat-lifecycle.bpmn}.
 * Only changed resources are deployed: a restart with unchanged files creates no deployment and
 * a changed BPMN becomes a new version of its process only. (The starter's own deployment is
 * off: it names resources by absolute file paths, which differ between machines.)
 * <p>
 * A diagram that lacks what the code binds to ({@link ProcessBindings}) is not deployed: the
 * version deployed before stays in use and the log says, naming the file and what it lacks,
 * why. With no earlier version to fall back on, the service does not start.
 */
@Component
class ProcessDeployer implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(ProcessDeployer.class);

	static final String DEPLOYMENT_NAME = "auto-assign";

	private final RepositoryService repository;

	private final String location;

	ProcessDeployer(RepositoryService repository,
			@Value("${auto-assign.deployment-location:classpath*:}") String location) {
		this.repository = repository;
		this.location = location;
	}

	@Override
	public void afterPropertiesSet() throws IOException {
		DeploymentWithDefinitions deployment = deploy();
		List<ProcessDefinition> definitions = deployment.getDeployedProcessDefinitions();
		if (definitions != null && !definitions.isEmpty()) {
			log.info("Deployed {} changed process definition(s) as deployment {}", definitions.size(),
					deployment.getId());
		}
	}

	DeploymentWithDefinitions deploy() throws IOException {
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		DeploymentBuilder builder = this.repository.createDeployment()
			.name(DEPLOYMENT_NAME)
			.source(DEPLOYMENT_NAME)
			.enableDuplicateFiltering(true);
		int count = 0;
		for (String folder : new String[] { "processes/*.bpmn", "forms/*.form" }) {
			Resource[] resources = resolver.getResources(this.location + folder);
			Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
			for (Resource resource : resources) {
				String name = folder.substring(0, folder.indexOf('/') + 1) + resource.getFilename();
				byte[] content;
				try (InputStream in = resource.getInputStream()) {
					content = in.readAllBytes();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				if (refused(name, content)) {
					continue;
				}
				builder.addInputStream(name, new ByteArrayInputStream(content));
				count++;
			}
		}
		if (count == 0) {
			throw new IllegalStateException("No processes found under " + this.location + "processes/");
		}
		return builder.deployWithResult();
	}

	/** Whether the diagram lacks what the code binds to; throws when nothing can stand in for it. */
	private boolean refused(String name, byte[] content) {
		ProcessBinding binding = ProcessBindings.of(name).orElse(null);
		if (binding == null) {
			return false;
		}
		List<String> problems = ProcessBindings.problems(binding, content);
		if (problems.isEmpty()) {
			return false;
		}
		ProcessDefinition deployed = this.repository.createProcessDefinitionQuery()
			.processDefinitionKey(binding.key())
			.withoutTenantId()
			.latestVersion()
			.singleResult();
		if (deployed == null) {
			throw new IllegalStateException("Cannot deploy " + name + ", and no earlier version of " + binding.key()
					+ " is deployed to run instead: " + String.join("; ", problems));
		}
		log.error("Not deploying {}: it lacks what the service binds to ({}). Version {} of {} stays in use; "
				+ "restore the missing parts (see the README's designer section) and restart.", name,
				String.join("; ", problems), deployed.getVersion(), binding.key());
		return true;
	}

}
