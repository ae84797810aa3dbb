package io.autoassign.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.autoassign.events.LocalEventBus;
import org.camunda.bpm.engine.ProcessEngine;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
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
	Engine engine(ProcessEngine processEngine) {
		return new Engine(processEngine);
	}

	@Bean
	@Lazy
	Api api(Environment environment, ObjectMapper json) {
		return new Api("http://127.0.0.1:" + environment.getProperty("local.server.port"),
				environment.getProperty("auto-assign.api-key"), json);
	}

}
