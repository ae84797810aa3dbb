package io.autoassign.security;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.platform.AutoAssignProperties;
import jakarta.servlet.Filter;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may reach what:
 * <ul>
 * <li>{@code /api/**}: bearer API key or agent/admin token; the finer rules are
 * {@link Caller}'s, applied by each controller.</li>
 * <li>{@code /camunda/**} (Cockpit, Tasklist, Admin): Camunda's own login.</li>
 * <li>{@code /engine-rest/**}: HTTP Basic against the engine's users, by Camunda's
 * {@link ProcessEngineAuthenticationFilter}.</li>
 * <li>{@code /actuator/health}: public, for load balancers; the details for an operator's
 * HTTP Basic login.</li>
 * <li>everything else (Swagger UI, OpenAPI, other actuator endpoints): HTTP Basic with a
 * Cockpit login.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * The name of the filter that counts each company's requests (a feature's, found by name so
	 * that security depends on no feature): it runs in the API's chain after authorization.
	 */
	static final String API_RATE_LIMIT = "apiRateLimit";

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, AutoAssignProperties properties, BearerTokens tokens,
			ObjectMapper json, @Qualifier(API_RATE_LIMIT) Filter rateLimit,
			@Value("${auto-assign.cors.allowed-origins:*}") List<String> corsOrigins) throws Exception {
		http.securityMatcher(paths("/api/**"))
			// Browsers (an agent setting its own status, a console) may call the API from the origins
			// allowed; preflights are answered before authentication.
			.cors((cors) -> cors.configurationSource(cors(corsOrigins)))
			.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new BearerAuthenticationFilter(properties, tokens, json), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			// counted once the caller is known to be allowed the company's requests
			.addFilterAfter(rateLimit, AuthorizationFilter.class)
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint((request, response, ex) -> ProblemResponses.write(json, response,
						HttpStatus.UNAUTHORIZED, "Unauthorized",
						"Authenticate with 'Authorization: Bearer <API key or token>'"))
				.accessDeniedHandler((request, response, ex) -> ProblemResponses.write(json, response,
						HttpStatus.FORBIDDEN, "Forbidden", "Not allowed")));
		return http.build();
	}

	/**
	 * CORS for the REST API: the allowed origins (patterns, {@code *} by default: bearer tokens and
	 * the API key travel in a header, never in cookies, so credentials are not allowed), the API's
	 * methods and the headers a client sends and reads.
	 */
	static CorsConfigurationSource cors(List<String> origins) {
		CorsConfiguration config = new CorsConfiguration();
		config.setAllowedOriginPatterns(origins);
		config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
		config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
		config.setExposedHeaders(List.of("Retry-After", "Location"));
		config.setAllowCredentials(false);
		config.setMaxAge(3600L);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", config);
		return source;
	}

	/**
	 * Health: open to anyone (load balancers see each component's status); an operator who sends
	 * the Cockpit login with HTTP Basic also sees the details.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain healthSecurity(HttpSecurity http, IdentityService identityService) throws Exception {
		http.securityMatcher(paths("/actuator/health", "/actuator/health/**"))
			.csrf(AbstractHttpConfigurer::disable)
			.authenticationManager(new ProviderManager(new CamundaUserAuthenticationProvider(identityService)))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain openSecurity(HttpSecurity http) throws Exception {
		// Camunda's webapps and engine REST API bring their own authentication; the WebSocket
		// authenticates its STOMP CONNECT frame; the console's static files hold no data (it
		// calls the API and the WebSocket with the credential its user enters).
		http.securityMatcher(paths("/", "/error", "/favicon.ico", "/camunda/**", "/engine-rest/**", "/ws", "/ws/**", "/ws-sockjs/**", "/console", "/console/**",
				"/webjars/**"))
			.csrf(AbstractHttpConfigurer::disable)
			.headers((headers) -> headers.cacheControl((cache) -> cache.disable()).frameOptions((f) -> f.sameOrigin()))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.requestCache(AbstractHttpConfigurer::disable)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(4)
	SecurityFilterChain operatorSecurity(HttpSecurity http, IdentityService identityService) throws Exception {
		http.csrf(AbstractHttpConfigurer::disable)
			.authenticationManager(new ProviderManager(new CamundaUserAuthenticationProvider(identityService)))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		return http.build();
	}

	/**
	 * URLs that Spring Security's firewall refuses ({@code /./}, {@code /../}, {@code ;},
	 * {@code //}, ...) are bad input: a 400 problem document like every other error, not the
	 * container's error page.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler(ObjectMapper json) {
		return (request, response, ex) -> ProblemResponses.write(json, response, HttpStatus.BAD_REQUEST,
				"Bad request", "The request's URL contains characters or segments that are not allowed");
	}

	/**
	 * Matches paths within the application whichever servlet serves them: Camunda's webapp API
	 * and engine REST API are JAX-RS servlets of their own, which servlet-relative matching
	 * would miss.
	 */
	private static RequestMatcher paths(String... patterns) {
		List<RequestMatcher> matchers = new ArrayList<>();
		for (String pattern : patterns) {
			matchers.add(PathPatternRequestMatcher.withDefaults().matcher(pattern));
		}
		return new OrRequestMatcher(matchers);
	}

	@Bean
	FilterRegistrationBean<Filter> loginThrottle(java.time.Clock clock, ObjectMapper json) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new LoginThrottle(clock, json));
		registration.setName("auto-assign-login-throttle");
		// before Spring Security and Camunda's filters, over every servlet
		registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	FilterRegistrationBean<Filter> engineRestAuthentication(
			@Value("${spring.jersey.application-path:/engine-rest}") String restPath) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
		registration.setName("camunda-engine-rest-authentication");
		registration.addUrlPatterns(restPath + "/*");
		registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
				HttpBasicAuthenticationProvider.class.getName());
		registration.addInitParameter("servlet-path-prefix", restPath);
		return registration;
	}

}
