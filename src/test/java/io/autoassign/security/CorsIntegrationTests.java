package io.autoassign.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS for the REST API (an agent's browser sets its own status): a preflight from an allowed
 * origin is answered before authentication with the Access-Control headers; the actual request
 * carries them too; another origin is refused.
 */
@IntegrationTest
// a second cached application: it leaves webhook sending to the main one (whose metrics the webhook tests read)
@TestPropertySource(properties = { "auto-assign.cors.allowed-origins=https://agents.example.com", "auto-assign.webhooks.send=false" })
class CorsIntegrationTests {

	private static final String ALLOWED = "https://agents.example.com";

	@Autowired
	Api api;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aPreflightFromAnAllowedOriginIsAnsweredWithTheCorsHeaders() throws Exception {
		HttpResponse<String> preflight = preflight(ALLOWED, "PUT");
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
			.contains("authorization")
			.contains("content-type");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
	}

	@Test
	void theActualRequestCarriesTheHeaderAndAnotherOriginIsRefused() throws Exception {
		String company = Api.newCompany();
		this.api.put("/api/v1/companies/" + company + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		String token = this.api.post("/api/v1/companies/" + company + "/agents/a/tokens", null).text("token");
		HttpResponse<String> put = this.http.send(HttpRequest
			.newBuilder(URI.create(this.api.base() + "/api/v1/companies/" + company + "/agents/a/status"))
			.header("Origin", ALLOWED)
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"ACTIVE\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).isEqualTo(200);
		assertThat(put.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);

		HttpResponse<String> refused = preflight("https://evil.example.org", "PUT");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	private HttpResponse<String> preflight(String origin, String method) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.api.base() + "/api/v1/companies/acme/agents/a/status"))
			.header("Origin", origin)
			.header("Access-Control-Request-Method", method)
			.header("Access-Control-Request-Headers", "authorization,content-type")
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
