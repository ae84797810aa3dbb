package io.autoassign.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
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
				try (InputStream in = resource.getInputStream()) {
					builder.addInputStream(name, in);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				count++;
			}
		}
		if (count == 0) {
			throw new IllegalStateException("No processes found under " + this.location + "processes/");
		}
		return builder.deployWithResult();
	}

}
