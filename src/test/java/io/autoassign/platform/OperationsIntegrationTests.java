package io.autoassign.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators reach besides the API: health, Cockpit, the engine REST API, the API docs.
 */
@IntegrationTest
class OperationsIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	Api api;

	@Test
	void healthIsPublicAndReportsTheDatabaseAndRedis() {
		Api.Response health = this.api.send("GET", "/actuator/health", null, null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.text("status")).isEqualTo("UP");
		assertThat(health.body().at("/components/db/status").asText()).isEqualTo("UP");
		assertThat(health.body().at("/components/redis/status").asText()).isEqualTo("UP");
		// the details are the operator's
		assertThat(health.body().at("/components/db/details").isMissingNode()).isTrue();
		Api.Response operator = this.api.sendAuthorized("GET", "/actuator/health", null,
				"Basic " + java.util.Base64.getEncoder()
					.encodeToString("admin:test-admin-password".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(operator.body().at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
	}

	@Test
	void cockpitServesItsLoginPage() throws Exception {
		HttpResponse<String> page = get("/camunda/app/cockpit/default/", null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<html").containsIgnoringCase("cockpit");
	}

	@Test
	void theWebappsLoadTheirPluginsAndAcceptTheConfiguredLogin() throws Exception {
		// Camunda's webapp API is a servlet of its own: the security rules must reach it too
		assertThat(get("/camunda/api/cockpit/plugin/cockpitPlugins/static/app/plugin.js", null).statusCode())
			.isEqualTo(200);
		assertThat(get("/camunda/api/tasklist/plugin/tasklistPlugins/static/app/plugin.js", null).statusCode())
			.isEqualTo(200);
		// as a browser does: the page sets Camunda's CSRF cookie, the login echoes it in a header
		java.net.CookieManager cookies = new java.net.CookieManager();
		HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
		browser.send(HttpRequest.newBuilder(URI.create(this.api.base() + "/camunda/app/cockpit/default/")).build(),
				HttpResponse.BodyHandlers.ofString());
		String csrf = cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.findFirst()
			.orElseThrow()
			.getValue();
		HttpResponse<String> login = browser.send(HttpRequest
			.newBuilder(URI.create(this.api.base() + "/camunda/api/admin/auth/user/default/login/cockpit"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-XSRF-TOKEN", csrf)
			.POST(HttpRequest.BodyPublishers.ofString("username=admin&password=test-admin-password"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("\"userId\":\"admin\"");
	}

	@Test
	void engineRestNeedsALogin() throws Exception {
		// (a wrong password for admin would lock admin out for a few seconds: Camunda delays retries)
		HttpResponse<String> anonymous = get("/engine-rest/process-definition", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		// answered by Camunda's ProcessEngineAuthenticationFilter, against the engine's users
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"default\"");
		assertThat(get("/engine-rest/process-definition", basic("nobody", "wrong")).statusCode()).isEqualTo(401);
		HttpResponse<String> definitions = get("/engine-rest/process-definition", basic("admin", "test-admin-password"));
		assertThat(definitions.statusCode()).isEqualTo(200);
		assertThat(definitions.body()).contains("chat-lifecycle");
	}

	@Test
	void apiDocsNeedALoginAndDescribeTheApi() throws Exception {
		assertThat(get("/v3/api-docs", null).statusCode()).isEqualTo(401);
		assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(401);
		HttpResponse<String> docs = get("/v3/api-docs", basic("admin", "test-admin-password"));
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(docs.body()).contains("/api/v1/companies/{companyId}/chats");
		assertThat(get("/swagger-ui/index.html", basic("admin", "test-admin-password")).statusCode()).isEqualTo(200);
	}

	@Test
	void actuatorBeyondHealthNeedsALogin() throws Exception {
		assertThat(get("/actuator/info", null).statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> get(String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.api.base() + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
