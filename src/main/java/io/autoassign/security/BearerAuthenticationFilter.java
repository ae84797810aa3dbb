package io.autoassign.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.platform.AutoAssignProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer ...} on the API: the platform API key (compared in
 * constant time) or an agent/admin token. A present but invalid credential is answered with 401
 * at once; a missing one is left to the entry point, which answers 401 too. Credentials are
 * never logged.
 */
class BearerAuthenticationFilter extends OncePerRequestFilter {

	private final byte[] apiKey;

	private final BearerTokens tokens;

	private final ObjectMapper json;

	BearerAuthenticationFilter(AutoAssignProperties properties, BearerTokens tokens, ObjectMapper json) {
		this.apiKey = properties.apiKey().getBytes(StandardCharsets.UTF_8);
		this.tokens = tokens;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			chain.doFilter(request, response);
			return;
		}
		if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			ProblemResponses.write(this.json, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
					"Use 'Authorization: Bearer <API key or token>'");
			return;
		}
		String credential = header.substring(7).trim();
		Caller caller;
		if (MessageDigest.isEqual(this.apiKey, credential.getBytes(StandardCharsets.UTF_8))) {
			caller = new Caller.Platform();
		}
		else {
			try {
				caller = this.tokens.authenticate(credential);
			}
			catch (InvalidTokenException ex) {
				ProblemResponses.write(this.json, response, HttpStatus.UNAUTHORIZED, "Unauthorized", ex.getMessage());
				return;
			}
			catch (DataAccessResourceFailureException | CannotCreateTransactionException ex) {
				// Checking a token reads its agent; with the database away that is a 503 worth
				// retrying like any other request's, not an error page.
				response.setHeader(HttpHeaders.RETRY_AFTER, "2");
				ProblemResponses.write(this.json, response, HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
						"A backing server (Redis or the database) cannot be reached; retry shortly");
				return;
			}
		}
		String authority = (caller instanceof Caller.Member member) ? "ROLE_" + member.role().name() : "ROLE_PLATFORM";
		UsernamePasswordAuthenticationToken authentication = UsernamePasswordAuthenticationToken.authenticated(caller,
				null, List.of(new SimpleGrantedAuthority(authority)));
		SecurityContextHolder.getContext().setAuthentication(authentication);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

}
