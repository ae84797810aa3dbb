package io.autoassign.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles failed logins per client address, in front of every place that checks an operator's
 * password: HTTP Basic anywhere ({@code /engine-rest}, actuator, Swagger UI) and the webapps'
 * login form. After {@value #MAX_FAILURES} failed logins from one address within
 * {@link #WINDOW}, that address gets 429 with {@code Retry-After} until the window ends, whatever
 * the credentials. Failures are counted per address, not per user: an attacker slows only
 * himself, and the operator logs in from elsewhere at once. (Camunda's own per-user delay and
 * permanent lock are switched off in {@code application.yml} for that reason.) Counts live in
 * this node's memory; behind a proxy, set {@code server.forward-headers-strategy} so that the
 * client's address is the one counted.
 */
class LoginThrottle extends OncePerRequestFilter {

	static final int MAX_FAILURES = 10;

	static final Duration WINDOW = Duration.ofMinutes(5);

	/** Addresses tracked at most; beyond, those whose window ended are forgotten first. */
	private static final int MAX_ADDRESSES = 100_000;

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final Clock clock;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	private final ObjectMapper json;

	LoginThrottle(Clock clock, ObjectMapper json) {
		this.clock = clock;
		this.json = json;
	}

	/** The failed logins of one address in its current window. */
	private record Failures(Instant windowStart, int count) {

		boolean over(Instant now) {
			return !now.isBefore(this.windowStart.plus(WINDOW));
		}

	}

	/** Only requests that check an operator's password: Basic where Basic is a login, the login form. */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean webappLogin = "POST".equals(request.getMethod()) && path.startsWith("/camunda/api/admin/auth/user/")
				&& path.contains("/login/");
		String authorization = request.getHeader("Authorization");
		// (the chat API takes bearer credentials only, the webapps their session, the WebSocket its
		// CONNECT frame: a Basic header there checks no password)
		boolean basicLogin = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
				&& !path.startsWith("/api/") && !path.startsWith("/camunda/") && !path.startsWith("/ws");
		return !webappLogin && !basicLogin;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String address = request.getRemoteAddr();
		Instant now = this.clock.instant();
		Failures current = this.failures.get(address);
		if (current != null && !current.over(now) && current.count() >= MAX_FAILURES) {
			long seconds = Math.max(1, Duration.between(now, current.windowStart().plus(WINDOW)).toSeconds());
			response.setHeader("Retry-After", Long.toString(seconds));
			ProblemResponses.write(this.json, response, HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests",
					"Too many failed logins from this address; try again in " + seconds + " s");
			return;
		}
		chain.doFilter(request, response);
		if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
			failed(address, now);
		}
		else if (response.getStatus() < 400) {
			this.failures.remove(address);
		}
	}

	private void failed(String address, Instant now) {
		Failures after = this.failures.compute(address, (key, before) -> (before == null || before.over(now))
				? new Failures(now, 1) : new Failures(before.windowStart(), before.count() + 1));
		if (after.count() == MAX_FAILURES) {
			log.warn("{} failed logins from {} within {}: throttled until the window ends", MAX_FAILURES, address,
					WINDOW);
		}
		if (this.failures.size() > MAX_ADDRESSES) {
			this.failures.values().removeIf((f) -> f.over(now));
			if (this.failures.size() > MAX_ADDRESSES) {
				// a flood from more addresses than can be tracked: start over rather than grow
				log.warn("Failed logins from more than {} addresses within {}; counts reset", MAX_ADDRESSES, WINDOW);
				this.failures.clear();
			}
		}
	}

}
