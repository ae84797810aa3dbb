package io.autoassign.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Tells whoever started the service where to go next.
 */
@Component
class StartupBanner {

	private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

	private final Environment environment;

	private final AutoAssignProperties properties;

	StartupBanner(Environment environment, AutoAssignProperties properties) {
		this.environment = environment;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void announce() {
		String base = "http://localhost:" + this.environment.getProperty("local.server.port", "8080");
		StringBuilder text = new StringBuilder("\n\n  Auto-Assign is up\n");
		text.append("    Cockpit / Tasklist  ").append(base).append("/camunda/app/\n");
		text.append("    Swagger UI          ").append(base).append("/swagger-ui/index.html\n");
		text.append("    Health              ").append(base).append("/actuator/health\n");
		text.append("    REST API            ").append(base).append("/api/v1  (Authorization: Bearer <API key>)\n");
		if (this.properties.embeddedRun()) {
			text.append("  Embedded run (H2 under ./data): API key 'local-dev-key', Cockpit login admin / admin.\n")
				.append("  For anything reachable from a network use the postgres profile with your own secrets.\n");
		}
		log.info(text.toString());
	}

}
