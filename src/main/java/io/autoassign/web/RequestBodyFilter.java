package io.autoassign.web;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.domain.ProblemTypes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks API request bodies before anything reads them:
 * <ul>
 * <li>at most {@value #MAX_BODY_BYTES} bytes (413), whether the length is declared or the body
 * is chunked: a JSON body is read here (counting) and handed on from memory;</li>
 * <li>a JSON body is UTF-8 (RFC 8259): other bytes, NUL bytes (UTF-16/32, which Jackson would
 * otherwise detect and accept) or a {@code charset} other than UTF-8 are a 400 / 415;</li>
 * <li>a wildcard Content-Type ({@code *}{@code /*}, {@code application/*}) is a 415: it names
 * no format (and Spring's request headers refuse it with an exception, i.e. a 500).</li>
 * </ul>
 * Bodies of other types pass on to Spring MVC, which answers 415 without reading them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestBodyFilter extends OncePerRequestFilter {

	static final int MAX_BODY_BYTES = 64 * 1024;

	private final ObjectMapper json;

	RequestBodyFilter(ObjectMapper json) {
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			tooLarge(response);
			return;
		}
		boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
		if (!hasBody || request.getContentType() == null) {
			chain.doFilter(request, response);
			return;
		}
		MediaType type;
		try {
			type = MediaType.parseMediaType(request.getContentType());
		}
		catch (InvalidMediaTypeException ex) {
			// Spring MVC answers 415 for a Content-Type it cannot parse.
			chain.doFilter(request, response);
			return;
		}
		if (type.isWildcardType() || type.isWildcardSubtype()) {
			write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
					"Content-Type must name a format: application/json");
			return;
		}
		if (!isJson(type)) {
			chain.doFilter(request, response);
			return;
		}
		if (type.getParameter("charset") != null && !"utf-8".equalsIgnoreCase(unquote(type.getParameter("charset")))) {
			write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
					"JSON bodies must be UTF-8 (charset=utf-8 or none)");
			return;
		}
		byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
		if (body.length > MAX_BODY_BYTES) {
			tooLarge(response);
			return;
		}
		if (!isUtf8WithoutNul(body)) {
			write(response, HttpStatus.BAD_REQUEST, "Bad request", "The request body is not UTF-8 encoded JSON");
			return;
		}
		chain.doFilter(new CachedBody(request, body), response);
	}

	private static boolean isJson(MediaType type) {
		return MediaType.APPLICATION_JSON.isCompatibleWith(type)
				|| ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
	}

	private static String unquote(String value) {
		return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
	}

	static boolean isUtf8WithoutNul(byte[] body) {
		for (byte b : body) {
			if (b == 0) {
				return false;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		write(response, HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large",
				"Request bodies are limited to " + MAX_BODY_BYTES + " bytes");
	}

	private void write(HttpServletResponse response, HttpStatus status, String title, String detail) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setType(ProblemTypes.of(status.value()));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

	/** The request with its body already read (and checked). */
	private static final class CachedBody extends HttpServletRequestWrapper {

		private final int length;

		private final ServletInputStream stream;

		CachedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.length = body.length;
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			this.stream = new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					// the whole body is in memory: it is available now, and then it is all read
					try {
						listener.onDataAvailable();
						listener.onAllDataRead();
					}
					catch (IOException ex) {
						listener.onError(ex);
					}
				}

			};
		}

		@Override
		public ServletInputStream getInputStream() {
			return this.stream;
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return this.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.length;
		}

	}

}
