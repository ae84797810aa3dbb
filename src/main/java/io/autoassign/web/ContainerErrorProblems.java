package io.autoassign.web;

import java.io.IOException;
import java.io.Writer;

import io.autoassign.domain.ProblemTypes;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Some requests never reach the application: Tomcat itself refuses URLs with an encoded slash
 * ({@code %2F}), an encoded NUL ({@code %00}), bytes that are not UTF-8, characters the request
 * line may not hold, and the like, and answers with its own HTML error page. For {@code /api/}
 * URLs (and request lines too broken to tell) this valve writes the RFC 9457 problem document
 * that every other error of the API has; other URLs keep Tomcat's page.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorProblems {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
		// Added after Spring Boot's own ErrorReportValve, so it runs first on the way out.
		return (factory) -> factory
			.addContextCustomizers((context) -> context.getParent().getPipeline().addValve(new ProblemValve()));
	}

	static final class ProblemValve extends ErrorReportValve {

		ProblemValve() {
			setShowReport(false);
			setShowServerInfo(false);
		}

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			// A request line Tomcat could not parse has no usable URI: it came from no browser.
			String uri = request.getRequestURI();
			if (uri != null && uri.startsWith("/") && !uri.startsWith("/api/")) {
				super.report(request, response, throwable);
				return;
			}
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			HttpStatus known = HttpStatus.resolve(status);
			String title = (known != null) ? known.getReasonPhrase() : "Error";
			String detail = (status == 400) ? "The request's URL contains characters or segments that are not allowed"
					: "The request could not be processed";
			try {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write("{\"type\":\"" + ProblemTypes.of(status) + "\",\"title\":\"" + title + "\",\"status\":" + status
							+ ",\"detail\":\"" + detail + "\"}");
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// the client is gone
			}
		}

	}

}
