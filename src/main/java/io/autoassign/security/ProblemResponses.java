package io.autoassign.security;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.domain.ProblemTypes;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes 401/403 problem documents from the security filters, which answer before any
 * controller advice can.
 */
final class ProblemResponses {

	private ProblemResponses() {
	}

	static void write(ObjectMapper json, HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setType(ProblemTypes.of(status.value()));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.setHeader("WWW-Authenticate", "Bearer realm=\"auto-assign\"");
		}
		json.writeValue(response.getOutputStream(), problem);
	}

}
