package io.autoassign.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A small HTTP client for the REST API as the host platform (or with another credential)
 * sees it: real requests to the running application, raw status codes and JSON bodies.
 */
public class Api {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final String platformKey;

	private final ObjectMapper json;

	public Api(String base, String platformKey, ObjectMapper json) {
		this.base = base;
		this.platformKey = platformKey;
		this.json = json;
	}

	public record Response(int status, JsonNode body, String contentType, HttpResponse<String> raw) {

		public String text(String field) {
			JsonNode node = this.body.path(field);
			return node.isNull() || node.isMissingNode() ? null : node.asText();
		}

	}

	/** A fresh company id, so that tests never share state. */
	public static String newCompany() {
		return "co-" + UUID.randomUUID().toString().substring(0, 12);
	}

	public String platformKey() {
		return this.platformKey;
	}

	public String base() {
		return this.base;
	}

	public Response get(String path) {
		return send("GET", path, null, this.platformKey);
	}

	public Response put(String path, Object body) {
		return send("PUT", path, body, this.platformKey);
	}

	public Response patch(String path, Object body) {
		return send("PATCH", path, body, this.platformKey);
	}

	public Response post(String path, Object body) {
		return send("POST", path, body, this.platformKey);
	}

	/**
	 * Sends a request with {@code bearer} as credential ({@code null}: none). A body that is a
	 * String is sent as it is; anything else as JSON.
	 */
	public Response send(String method, String path, Object body, String bearer) {
		return sendAuthorized(method, path, body, (bearer != null) ? "Bearer " + bearer : null);
	}

	/**
	 * Sends a request with {@code authorization} as the whole {@code Authorization} header
	 * ({@code null}: none), e.g. another scheme than Bearer.
	 */
	public Response sendAuthorized(String method, String path, Object body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
		if (body != null) {
			try {
				String text = (body instanceof String s) ? s : this.json.writeValueAsString(body);
				publisher = HttpRequest.BodyPublishers.ofString(text);
			}
			catch (IOException ex) {
				throw new IllegalArgumentException(ex);
			}
			request.header("Content-Type", "application/json");
		}
		request.method(method, publisher);
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode node = MissingNode.getInstance();
			if (response.body() != null && !response.body().isBlank()) {
				try {
					node = this.json.readTree(response.body());
				}
				catch (IOException ex) {
					node = MissingNode.getInstance();
				}
			}
			return new Response(response.statusCode(), node,
					response.headers().firstValue("Content-Type").orElse(null), response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
