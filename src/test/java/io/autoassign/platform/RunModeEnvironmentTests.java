package io.autoassign.platform;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunModeEnvironmentTests {

	private final RunModeEnvironment runMode = new RunModeEnvironment();

	@Test
	void embeddedRunGetsTheDocumentedDevelopmentCredentials() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:h2:file:./data/auto-assign")
			.withProperty("auto-assign.api-key", "")
			.withProperty("camunda.bpm.admin-user.password", "");
		this.runMode.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("auto-assign.api-key")).isEqualTo("local-dev-key");
		assertThat(environment.getProperty("camunda.bpm.admin-user.password")).isEqualTo("admin");
		assertThat(environment.getProperty("auto-assign.embedded-run")).isEqualTo("true");
	}

	@Test
	void redisClusterNodesFromTheirVariableReplaceTheRedisUrl() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/autoassign")
			.withProperty("auto-assign.api-key", "k")
			.withProperty("camunda.bpm.admin-user.password", "p")
			.withProperty("AUTO_ASSIGN_REDIS_CLUSTER_NODES", "redis-1:6379,redis-2:6379,redis-3:6379");
		this.runMode.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.data.redis.cluster.nodes"))
			.isEqualTo("redis-1:6379,redis-2:6379,redis-3:6379");
		assertThat(environment.getProperty("auto-assign.embedded-redis")).isEqualTo("false");

		MockEnvironment single = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:mem:x")
			.withProperty("AUTO_ASSIGN_REDIS_CLUSTER_NODES", " ");
		this.runMode.postProcessEnvironment(single, new SpringApplication());
		assertThat(single.getProperty("spring.data.redis.cluster.nodes")).isNull();
		assertThat(single.getProperty("auto-assign.embedded-redis")).isNull();
	}

	@Test
	void embeddedRunKeepsCredentialsThatAreSet() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:mem:x")
			.withProperty("auto-assign.api-key", "mine")
			.withProperty("camunda.bpm.admin-user.password", "secret");
		this.runMode.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("auto-assign.api-key")).isEqualTo("mine");
		assertThat(environment.getProperty("camunda.bpm.admin-user.password")).isEqualTo("secret");
	}

	@Test
	void postgresRunRefusesToStartWithoutApiKeyOrAdminPassword() {
		MockEnvironment neither = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/autoassign")
			.withProperty("auto-assign.api-key", "")
			.withProperty("camunda.bpm.admin-user.password", "");
		assertThatThrownBy(() -> this.runMode.postProcessEnvironment(neither, new SpringApplication()))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("AUTO_ASSIGN_API_KEY")
			.hasMessageContaining("AUTO_ASSIGN_ADMIN_PASSWORD");
		MockEnvironment keyOnly = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/autoassign")
			.withProperty("auto-assign.api-key", "k");
		assertThatThrownBy(() -> this.runMode.postProcessEnvironment(keyOnly, new SpringApplication()))
			.hasMessageNotContaining("AUTO_ASSIGN_API_KEY")
			.hasMessageContaining("AUTO_ASSIGN_ADMIN_PASSWORD");
	}

	@Test
	void postgresRunStartsWithBoth() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/autoassign")
			.withProperty("auto-assign.api-key", "k")
			.withProperty("camunda.bpm.admin-user.password", "p");
		this.runMode.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("auto-assign.api-key")).isEqualTo("k");
		assertThat(environment.getProperty("auto-assign.embedded-run")).isEqualTo("false");
	}

	@Test
	void embeddedRunListensOnLoopbackOnlyUnlessAnAddressIsSet() {
		MockEnvironment loopback = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:file:./data/x");
		this.runMode.postProcessEnvironment(loopback, new SpringApplication());
		assertThat(loopback.getProperty("server.address")).isEqualTo("127.0.0.1");
		MockEnvironment chosen = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:file:./data/x")
			.withProperty("server.address", "0.0.0.0");
		this.runMode.postProcessEnvironment(chosen, new SpringApplication());
		assertThat(chosen.getProperty("server.address")).isEqualTo("0.0.0.0");
		MockEnvironment postgres = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/autoassign")
			.withProperty("auto-assign.api-key", "k")
			.withProperty("camunda.bpm.admin-user.password", "p");
		this.runMode.postProcessEnvironment(postgres, new SpringApplication());
		assertThat(postgres.getProperty("server.address")).isNull();
	}

	@Test
	void h2InServerModeIsRefusedEvenWithCredentials() {
		for (String url : new String[] { "jdbc:h2:tcp://db:9092/auto-assign", "jdbc:h2:ssl://db/auto-assign",
				"jdbc:h2:file:./data/auto-assign;AUTO_SERVER=TRUE" }) {
			MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", url)
				.withProperty("auto-assign.api-key", "k")
				.withProperty("camunda.bpm.admin-user.password", "p");
			assertThatThrownBy(() -> this.runMode.postProcessEnvironment(environment, new SpringApplication())).as(url)
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("PostgreSQL");
		}
	}

}
