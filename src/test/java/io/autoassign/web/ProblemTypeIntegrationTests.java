package io.autoassign.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.RawHttp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of error has its own stable {@code type}, whichever layer answers it. */
@IntegrationTest
class ProblemTypeIntegrationTests {

	@Autowired
	Api api;

	@Test
	void eachKindOfErrorNamesItsType() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		String agent = this.api.post(base + "/agents/a/tokens", null).text("token");
		assertType(this.api.post(base + "/chats", Map.of("member", Map.of())), 400, "invalid-request");
		assertType(this.api.send("GET", base + "/agents", null, null), 401, "unauthenticated");
		assertType(this.api.send("GET", base + "/agents", null, agent), 403, "forbidden");
		assertType(this.api.get(base + "/chats/none"), 404, "not-found");
		this.api.post(base + "/chats", Map.of("chatId", "c1", "member", Map.of("id", "m1")));
		assertType(this.api.post(base + "/chats", Map.of("chatId", "c1", "member", Map.of("id", "m2"))), 409,
				"conflict");
		assertType(this.api.post(base + "/chats", "{\"member\":{\"id\":\"m\"},\"message\":\"" + "x".repeat(70_000) + "\"}"),
				413, "payload-too-large");
		assertType(this.api.send("DELETE", base + "/queue", null, this.api.platformKey()), 405, "method-not-allowed");
	}

	@Test
	void aMediaTypeErrorNamesItsType() {
		String company = Api.newCompany();
		RawHttp.Response response = new RawHttp(this.api.base()).send(
				RawHttp.Request.of("POST", "/api/v1/companies/" + company + "/chats", "hi".getBytes(StandardCharsets.UTF_8))
					.withHeaders(List.<String[]>of(new String[] { "Content-Type", "text/plain" })),
				"Bearer " + this.api.platformKey());
		assertThat(response.status()).isEqualTo(415);
		assertThat(response.text()).contains("\"type\":\"urn:auto-assign:problem:unsupported-media-type\"");
	}

	private static void assertType(Api.Response response, int status, String kind) {
		assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().path("type").asText()).isEqualTo("urn:auto-assign:problem:" + kind);
	}

}
