package io.autoassign.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the live console (static files under {@code static/console/}) at {@code /console}.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePage implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController("/console", "/console/index.html");
		registry.addRedirectViewController("/console/", "/console/index.html");
	}

}
