package io.autoassign.ratelimit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rate limit's filter, for the API's security chain only (never registered as a servlet
 * filter of its own, which would count every request twice and before authentication).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitConfiguration {

	/** Found by this name by the API's security chain. */
	@Bean("apiRateLimit")
	RateLimitFilter rateLimitFilter(RateLimits limits, ObjectMapper json) {
		return new RateLimitFilter(limits, json);
	}

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilterNotAServletFilter(RateLimitFilter filter) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

}
