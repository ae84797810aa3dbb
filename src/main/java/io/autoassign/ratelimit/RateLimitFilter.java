package io.autoassign.ratelimit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.domain.ProblemTypes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Answers 429 with {@code Retry-After} (whole seconds, rounded up) to a request of a company over
 * its rate limit ({@link RateLimits}). It sits in the API's security chain after authorization:
 * only requests the caller may make count, so nobody without the company's credentials can use
 * up its requests. Requests outside {@code /api/v1/companies/{companyId}/…} are not counted.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

	private static final Pattern COMPANY_PATH = Pattern.compile("^/api/v1/companies/([^/]+)(?:/.*)?$");

	private final RateLimits limits;

	private final ObjectMapper json;

	RateLimitFilter(RateLimits limits, ObjectMapper json) {
		this.limits = limits;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher path = COMPANY_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
		if (!path.matches()) {
			chain.doFilter(request, response);
			return;
		}
		String companyId = UriUtils.decode(path.group(1), StandardCharsets.UTF_8);
		RateLimits.Decision decision = this.limits.check(companyId);
		if (decision.allowed()) {
			chain.doFilter(request, response);
			return;
		}
		long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"Company " + companyId + " is over its rate limit (" + decision.limit().describe() + "); retry after "
						+ seconds + " s");
		problem.setTitle("Too Many Requests");
		problem.setType(ProblemTypes.of(HttpStatus.TOO_MANY_REQUESTS.value()));
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
