package io.autoassign.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestExecutionListeners;

/**
 * A full application on a random port, on the machine's real PostgreSQL and Redis, with the
 * job executor off (tests run due jobs through {@link Engine}). Every test class with this
 * annotation shares one application; tests keep apart by using their own company ids.
 * {@link EngineRegistration} keeps its engine reachable for the engine REST API and the webapps
 * after a test has started and closed an application of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// metrics exported as in production (a Spring Boot test keeps them in memory only by default)
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
@Import(TestSupportConfiguration.class)
@TestExecutionListeners(listeners = EngineRegistration.class,
		mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public @interface IntegrationTest {

}
