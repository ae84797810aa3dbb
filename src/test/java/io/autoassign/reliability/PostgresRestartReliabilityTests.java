package io.autoassign.reliability;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stops (fast mode) in the middle of load and starts again: while it is away requests
 * get clean 503s; afterwards the service carries on by itself (connections re-established, the
 * job executor going on, new chats routed), nothing created with a 2xx is lost and the invariant
 * checker passes. The application uses a PostgreSQL server of its own, never the machine's shared
 * one. Run with {@code mvn -Preliability test} (see RELIABILITY.md).
 */
@Tag("reliability")
class PostgresRestartReliabilityTests {

	@Test
	void theServiceRecoversFromAPostgresRestartUnderLoad() throws Exception {
		try (PrivatePostgres postgres = new PrivatePostgres()) {
			postgres.start();
			try (ConfigurableApplicationContext application = FailureDrill.startApplication(
					"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=postgres",
					"--spring.datasource.password=")) {
				FailureDrill.run(application, new FailureDrill.Failure() {

					@Override
					public void fail() throws Exception {
						postgres.stopFast();
					}

					@Override
					public void recover() throws Exception {
						postgres.start();
					}

				});
			}
		}
	}

}
