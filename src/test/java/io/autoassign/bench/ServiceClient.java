package io.autoassign.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The REST API as the host platform calls it, synchronous for set-up and asynchronous for load.
 */
public final class ServiceClient implements AutoCloseable {

	public static final ObjectMapper JSON = new ObjectMapper();

	public final String base;

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	private final HttpClient http;

	public ServiceClient(String base) {
		this.base = base;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(this.executor)
			.build();
	}

	public JsonNode call(String method, String path, Object body) {
		try {
			HttpResponse<String> response = this.http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300) {
				throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
			}
			return response.body().isEmpty() ? null : JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Sends a request and answers its status code only. */
	public int status(String method, String path, Object body) {
		try {
			return this.http.send(request(method, path, body), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public CompletableFuture<Integer> statusAsync(String method, String path, Object body) {
		return this.http.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.discarding())
			.thenApply(HttpResponse::statusCode)
			.exceptionally((ex) -> -1);
	}

	public void configure(String company, Map<String, Object> config) {
		call("PUT", "/api/v1/companies/" + company + "/auto-assign", config);
	}

	public void agent(String company, String agentId, String role, String status) {
		call("PUT", "/api/v1/companies/" + company + "/agents/" + agentId, Map.of("name", agentId, "role", role));
		if (status != null) {
			call("PUT", "/api/v1/companies/" + company + "/agents/" + agentId + "/status", Map.of("status", status));
		}
	}

	public String token(String company, String agentId) {
		return call("POST", "/api/v1/companies/" + company + "/agents/" + agentId + "/tokens", null).path("token").asText();
	}

	public static Map<String, Object> chat(String chatId) {
		return Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId, "name", "Member"), "message", "Hello");
	}

	private HttpRequest request(String method, String path, Object body) {
		try {
			HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
			return HttpRequest.newBuilder(URI.create(this.base + path))
				.timeout(Duration.ofSeconds(60))
				.header("Authorization", "Bearer " + AppNode.API_KEY)
				.header("Content-Type", "application/json")
				.method(method, publisher)
				.build();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
