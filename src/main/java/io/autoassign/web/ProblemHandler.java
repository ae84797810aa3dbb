package io.autoassign.web;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.autoassign.domain.ConflictException;
import io.autoassign.domain.FieldError;
import io.autoassign.domain.ForbiddenException;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.domain.NotFoundException;
import io.autoassign.domain.ProblemTypes;
import io.autoassign.domain.ServiceUnavailableException;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisClusterOperationException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of a request into an RFC 9457 problem document. Bad input is always a
 * 4xx with a {@code detail} that says what to fix and, for validation, one {@code errors}
 * entry per bad field; an unreachable Redis or database is a 503 worth retrying; anything else
 * is logged and answered with a 500 that leaks no internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@ExceptionHandler(InvalidInputException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidInputException ex) {
		return validationProblem(ex.errors());
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException ex) {
		List<FieldError> errors = ex.getConstraintViolations()
			.stream()
			.map((v) -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
			.sorted((a, b) -> a.field().compareTo(b.field()))
			.toList();
		return validationProblem(errors);
	}

	/** A multipart body Tomcat cannot parse (the API takes none; a well-formed one gets 415). */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> malformedMultipart(MultipartException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Bad request", "The multipart body is malformed; the API takes JSON");
	}

	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler(ConflictException.class)
	ResponseEntity<ProblemDetail> conflict(ConflictException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONFLICT, "Conflict with the chat's state",
				ex.getMessage());
		if (ex.field() != null) {
			response.getBody().setProperty("errors", List.of(new FieldError(ex.field(), ex.getMessage())));
		}
		return response;
	}

	@ExceptionHandler(ForbiddenException.class)
	ResponseEntity<ProblemDetail> forbidden(ForbiddenException ex) {
		return problem(HttpStatus.FORBIDDEN, "Forbidden", ex.getMessage());
	}

	@ExceptionHandler({ ServiceUnavailableException.class, RedisConnectionFailureException.class,
			DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> unavailable(Exception ex) {
		log.warn("A backing server is unavailable: {}", ex.toString());
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
				ex instanceof ServiceUnavailableException ? ex.getMessage()
						: "A backing server (Redis or the database) cannot be reached; retry shortly");
		if (ex instanceof ServiceUnavailableException unavailable) {
			unavailable.properties().forEach(response.getBody()::setProperty);
		}
		return ResponseEntity.status(response.getStatusCode())
			.header(HttpHeaders.RETRY_AFTER, "2")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(response.getBody());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		Throwable unavailable = findUnavailableCause(ex);
		if (unavailable != null) {
			return unavailable((Exception) unavailable);
		}
		log.error("Unexpected failure", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"The request failed unexpectedly; it has been logged");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof StreamConstraintsException) {
			return asObject(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", cause.getMessage()));
		}
		if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			String field = path(mapping);
			String message;
			if (mapping instanceof UnrecognizedPropertyException) {
				message = "is not a known field";
			}
			else if (mapping instanceof SafeStringDeserializer.UnsafeText) {
				message = SafeStringDeserializer.MESSAGE;
			}
			else if (mapping instanceof InvalidFormatException format && format.getTargetType() != null
					&& format.getTargetType().isEnum()) {
				message = "must be one of " + Arrays.stream(format.getTargetType().getEnumConstants())
					.map(Object::toString)
					.collect(Collectors.joining(", "));
			}
			else if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
				message = "must be " + describe(mismatch.getTargetType());
			}
			else {
				message = "has an invalid value";
			}
			return asObject(validationProblem(List.of(new FieldError(field, message))));
		}
		String detail = (cause instanceof JsonProcessingException json) ? "Malformed JSON: " + json.getOriginalMessage()
				: "The request body is missing or is not JSON";
		return asObject(problem(HttpStatus.BAD_REQUEST, "Bad request", detail));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		ex.getBindingResult()
			.getFieldErrors()
			.forEach((e) -> errors.add(new FieldError(e.getField(), e.getDefaultMessage())));
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((e) -> errors.add(new FieldError(e.getObjectName(), e.getDefaultMessage())));
		return asObject(validationProblem(errors));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		ex.getParameterValidationResults()
			.forEach((result) -> result.getResolvableErrors()
				.forEach((e) -> errors.add(new FieldError(result.getMethodParameter().getParameterName(),
						e.getDefaultMessage()))));
		return asObject(validationProblem(errors));
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Spring's own 4xx (405, 415, ...) keep their status but get our problem shape.
		if (body instanceof ProblemDetail detail && detail.getTitle() == null) {
			detail.setTitle(HttpStatus.valueOf(statusCode.value()).getReasonPhrase());
		}
		if (body instanceof ProblemDetail detail && "about:blank".equals(String.valueOf(detail.getType()))) {
			detail.setType(ProblemTypes.of(statusCode.value()));
		}
		if (body instanceof ProblemDetail) {
			HttpHeaders problemHeaders = new HttpHeaders();
			problemHeaders.addAll(headers);
			problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			return super.createResponseEntity(body, problemHeaders, statusCode, request);
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	static ResponseEntity<ProblemDetail> validationProblem(List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				errors.stream().map((e) -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
		problem.setTitle("Invalid request");
		problem.setType(ProblemTypes.of(400));
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setType(ProblemTypes.of(status.value()));
		// The Content-Type is set, not negotiated: a problem is a problem document whatever the
		// request's Accept says (an unparsable Accept, e.g. "foo", left errors without a body).
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> entity) {
		return (ResponseEntity) entity;
	}

	private static Throwable findUnavailableCause(Throwable ex) {
		Throwable t = ex;
		for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
			if (t instanceof RedisConnectionFailureException || t instanceof DataAccessResourceFailureException
					|| t instanceof CannotCreateTransactionException || t instanceof ServiceUnavailableException) {
				return t;
			}
			// A Redis Cluster whose master of the slot could not be reached within the client's
			// attempts (Spring reports it as an InvalidDataAccessApiUsageException around it)
			if (t instanceof JedisClusterOperationException) {
				return t;
			}
			// SQLState class 08 is "connection exception": the database went away mid-transaction
			// (e.g. a rollback on a connection the restarting server closed, which Spring reports
			// as a TransactionSystemException around the driver's exception).
			if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return t;
			}
			// 55P03: a lock wait ran out of its lock_timeout (a company busy with a long rebuild)
			if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
				return new ServiceUnavailableException("The company is busy; retry shortly", t);
			}
			// A commit or rollback the driver failed without a classifiable SQLState: Hikari
			// answers "Connection is closed" (no SQLState) on a connection the pool has already
			// evicted because the server went away.
			if (t instanceof TransactionSystemException && t.getCause() instanceof SQLException) {
				return t;
			}
			if (t instanceof TransactionSystemException tx && tx.getOriginalException() != null) {
				Throwable original = findUnavailableCause(tx.getOriginalException());
				if (original != null) {
					return original;
				}
			}
		}
		return null;
	}

	private static String path(JsonMappingException ex) {
		StringBuilder path = new StringBuilder();
		for (JsonMappingException.Reference ref : ex.getPath()) {
			if (ref.getFieldName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(ref.getFieldName());
			}
			else if (ref.getIndex() >= 0) {
				path.append('[').append(ref.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String describe(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "an integer";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "a boolean";
		}
		if (type == String.class) {
			return "a string";
		}
		if (List.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "an object";
	}

	private static String lastNode(String propertyPath) {
		int dot = propertyPath.lastIndexOf('.');
		return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
	}

}
