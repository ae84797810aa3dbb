package io.autoassign.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.autoassign.events.LocalEventBus;
import org.camunda.bpm.engine.ProcessEngine;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

@TestConfiguration(proxyBeanMethods = false)
public class TestSupportConfiguration {

	@Bean
	EventRecorder eventRecorder(LocalEventBus bus) {
		return new EventRecorder(bus);
	}

	@Bean
	EngineCommandCounter engineCommandCounter() {
		return new EngineCommandCounter();
	}

	@Bean
	Engine engine(ProcessEngine processEngine) {
		return new Engine(processEngine);
	}

	/**
	 * A fixed, small socket send buffer (as on a congested network): a client that stops reading
	 * blocks the server's writes after kilobytes, not after the megabytes that loopback autotuning
	 * would otherwise buffer.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSocketSendBuffers() {
		return (factory) -> factory
			.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", "16384"));
	}

	@Bean
	@Lazy
	Api api(Environment environment, ObjectMapper json) {
		return new Api("http://127.0.0.1:" + environment.getProperty("local.server.port"),
				environment.getProperty("auto-assign.api-key"), json);
	}

}
