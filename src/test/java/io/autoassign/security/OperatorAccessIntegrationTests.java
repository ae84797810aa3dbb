package io.autoassign.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camunda's webapps, its engine REST API and the API docs are for operators: they answer only
 * the Cockpit login (HTTP Basic on the engine REST API and the docs, Camunda's session on the
 * webapps' own API), never the platform key or an agent's or admin's token. The webapps' HTML
 * pages are public; what they show comes from their API.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorAccessIntegrationTests {

	private static final String PASSWORD = "test-admin-password";

	/** Camunda's metrics plugin of the Admin webapp (it needs the query parameters). */
	private static final String ADMIN_METRICS = "/camunda/api/admin/plugin/adminPlugins/default/metrics/aggregated"
			+ "?subscriptionStartDate=2026-01-01&groupBy=month";

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	Api api;

	/** Authorization headers by caller, in the order of the table's columns. */
	private final Map<String, String> callers = new LinkedHashMap<>();

	@BeforeAll
	void setUp() {
		String company = Api.newCompany();
		this.api.put("/api/v1/companies/" + company + "/agents/adm", Map.of("name", "Admin", "role", "ADMIN"));
		this.api.put("/api/v1/companies/" + company + "/agents/ag", Map.of("name", "Agent", "role", "AGENT"));
		this.callers.put("anonymous", null);
		this.callers.put("platformKey", "Bearer " + this.api.platformKey());
		this.callers.put("adminToken",
				"Bearer " + this.api.post("/api/v1/companies/" + company + "/agents/adm/tokens", null).text("token"));
		this.callers.put("agentToken",
				"Bearer " + this.api.post("/api/v1/companies/" + company + "/agents/ag/tokens", null).text("token"));
		// (never a wrong password for admin: Camunda would lock the user out for a while)
		this.callers.put("unknownUser", basic("nobody", "wrong"));
		this.callers.put("operator", basic("admin", PASSWORD));
	}

	private record Row(String method, String path, int... expected) {
	}

	/**
	 * Columns: anonymous, platform key, admin token, agent token, HTTP Basic of an unknown user,
	 * HTTP Basic of the operator (admin).
	 */
	private static List<Row> table() {
		return List.of(
				// engine REST API: HTTP Basic against the engine's users
				new Row("GET", "/engine-rest/process-definition", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/engine-rest/process-definition/count", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/engine-rest/process-instance", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/engine-rest/task", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/engine-rest/deployment", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/engine-rest/user", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/engine-rest/history/process-instance", 401, 401, 401, 401, 401, 200),
				// (a key that names no process: the operator's request gets as far as the engine and changes nothing)
				new Row("POST", "/engine-rest/process-definition/key/no-such-process/start", 401, 401, 401, 401, 401,
						404),
				// Camunda leaves the list of engine names open (it is how clients find the engine)
				new Row("GET", "/engine-rest/engine", 200, 200, 200, 200, 200, 200),
				// the webapps' API: Camunda's session login only, not even HTTP Basic
				new Row("GET", "/camunda/api/engine/engine/default/process-definition", 401, 401, 401, 401, 401, 401),
				new Row("GET", "/camunda/api/engine/engine/default/task", 401, 401, 401, 401, 401, 401),
				new Row("GET", "/camunda/api/engine/engine/default/user", 401, 401, 401, 401, 401, 401),
				new Row("GET", "/camunda/api/cockpit/plugin/base/default/process-definition/statistics", 401, 401, 401,
						401, 401, 401),
				new Row("GET", ADMIN_METRICS, 401, 401, 401, 401, 401, 401),
				// "who is logged in": nobody
				new Row("GET", "/camunda/api/admin/auth/user/default", 404, 404, 404, 404, 404, 404),
				// the webapps' pages themselves are public
				new Row("GET", "/camunda/app/cockpit/default/", 200, 200, 200, 200, 200, 200),
				new Row("GET", "/camunda/app/admin/default/", 200, 200, 200, 200, 200, 200),
				// API docs and actuator beyond health: HTTP Basic with the Cockpit login
				new Row("GET", "/v3/api-docs", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/swagger-ui/index.html", 401, 401, 401, 401, 401, 200),
				new Row("GET", "/actuator/info", 401, 401, 401, 401, 401, 200));
	}

	@TestFactory
	Stream<DynamicContainer> eachOperatorPathAnswersEachCallerAsIntended() {
		return table().stream().map((row) -> {
			List<DynamicTest> cells = new ArrayList<>();
			int column = 0;
			for (Map.Entry<String, String> caller : this.callers.entrySet()) {
				int expected = row.expected()[column++];
				cells.add(DynamicTest.dynamicTest(caller.getKey(), () -> {
					HttpResponse<String> response = send(this.http, row.method(), row.path(), caller.getValue(), null);
					assertThat(response.statusCode()).as("%s %s × %s: %s", row.method(), row.path(), caller.getKey(),
							response.body()).isEqualTo(expected);
				}));
			}
			return DynamicContainer.dynamicContainer(row.method() + " " + row.path(), cells);
		});
	}

	@Test
	void theOpenEngineListNamesTheEngineOnly() throws Exception {
		assertThat(send(this.http, "GET", "/engine-rest/engine", null, null).body()).isEqualTo("[{\"name\":\"default\"}]");
	}

	@Test
	void theWebappsApiOpensToTheCockpitLoginOnly() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String csrf = csrfToken(browser);
		// without a login, Camunda's setup page cannot create a user once the admin exists
		HttpResponse<String> setup = send(browser, "POST", "/camunda/api/admin/setup/default/user/create", null, csrf,
				"{\"profile\":{\"id\":\"intruder\",\"firstName\":\"I\",\"lastName\":\"I\",\"email\":\"i@example.com\"},"
						+ "\"credentials\":{\"password\":\"intruder-password\"}}");
		assertThat(setup.statusCode()).isEqualTo(403);
		assertThat(setup.body()).contains("Setup action not available");
		// a state-changing request without Camunda's CSRF header is refused as well
		assertThat(send(this.http, "POST", "/camunda/api/admin/setup/default/user/create", null, null, "{}")
			.statusCode()).isEqualTo(403);

		HttpResponse<String> login = send(browser, "POST", "/camunda/api/admin/auth/user/default/login/cockpit", null,
				csrf, "username=admin&password=" + PASSWORD);
		assertThat(login.statusCode()).isEqualTo(200);
		HttpResponse<String> definitions = send(browser, "GET",
				"/camunda/api/engine/engine/default/process-definition", null, null);
		assertThat(definitions.statusCode()).isEqualTo(200);
		assertThat(definitions.body()).contains("chat-lifecycle");
		assertThat(send(browser, "GET", "/camunda/api/engine/engine/default/user", null, null).body())
			.contains("\"id\":\"admin\"")
			.doesNotContain("intruder");
		assertThat(send(browser, "GET", "/camunda/api/cockpit/plugin/base/default/process-definition/statistics", null,
				null).statusCode()).isEqualTo(200);
		assertThat(send(browser, "GET", ADMIN_METRICS, null, null).statusCode()).isEqualTo(200);
		assertThat(send(browser, "GET", "/camunda/api/admin/auth/user/default", null, null).body())
			.contains("\"userId\":\"admin\"");

		// the Cockpit session is no credential for the REST API or the API docs
		assertThat(send(browser, "GET", "/api/v1/companies/" + Api.newCompany() + "/auto-assign", null, null)
			.statusCode()).isEqualTo(401);
		assertThat(send(browser, "GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(401);
	}

	@Test
	void theOperatorLoginIsNoCredentialForTheRestApi() {
		Api.Response response = this.api.sendAuthorized("GET",
				"/api/v1/companies/" + Api.newCompany() + "/auto-assign", null, basic("admin", PASSWORD));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	/** Opens a webapp page as a browser does, which sets Camunda's CSRF cookie, and returns its value. */
	private String csrfToken(HttpClient browser) throws Exception {
		send(browser, "GET", "/camunda/app/cockpit/default/", null, null);
		CookieManager cookies = (CookieManager) browser.cookieHandler().orElseThrow();
		return cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.findFirst()
			.orElseThrow()
			.getValue();
	}

	private HttpResponse<String> send(HttpClient client, String method, String path, String authorization, String csrf)
			throws Exception {
		return send(client, method, path, authorization, csrf, method.equals("GET") ? null : "{}");
	}

	private HttpResponse<String> send(HttpClient client, String method, String path, String authorization, String csrf,
			String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.api.base() + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (csrf != null) {
			request.header("X-XSRF-TOKEN", csrf);
		}
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
