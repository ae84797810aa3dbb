package io.autoassign.platform;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AutoAssignProperties.class)
class PlatformConfiguration {

	@Bean
	Clock clock() {
		return new EngineClock();
	}

}
