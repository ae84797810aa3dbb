package io.autoassign.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoassign.settings.ConfigField;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document describes the API as it behaves: title and version, the bearer scheme,
 * meaningful operation ids, the real success statuses, every error with the problem schema,
 * JSON content types, typed and bounded listing parameters, the configuration's schema and an
 * example for every request body.
 */
@IntegrationTest
class OpenApiDocumentIntegrationTests {

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));

	@Autowired
	Api api;

	@Autowired
	ObjectMapper json;

	JsonNode doc;

	@BeforeEach
	void document() {
		Api.Response response = this.api.sendAuthorized("GET", "/v3/api-docs", null, OPERATOR);
		assertThat(response.status()).isEqualTo(200);
		this.doc = response.body();
	}

	@Test
	void itNamesTheApiAndHowToAuthenticate() {
		assertThat(this.doc.at("/info/title").asText()).isEqualTo("Auto-Assign API");
		assertThat(this.doc.at("/info/version").asText()).isEqualTo("1.0.0");
		assertThat(this.doc.at("/info/description").asText()).contains("problem");
		assertThat(this.doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
		assertThat(this.doc.at("/components/securitySchemes/operatorBasic/scheme").asText()).isEqualTo("basic");
		assertThat(this.doc.at("/security/0").has("bearer")).isTrue();
	}

	@Test
	void everyOperationHasAMeaningfulUniqueIdAndOnlyJson() {
		Set<String> ids = new HashSet<>();
		for (Map.Entry<String, JsonNode> operation : operations()) {
			String id = operation.getValue().path("operationId").asText();
			assertThat(id).as(operation.getKey()).matches("[a-z][A-Za-z]+").doesNotContain("_");
			assertThat(ids.add(id)).as("unique id " + id).isTrue();
		}
		assertThat(ids).contains("createChat", "listChats", "getChat", "closeChat", "takeOverChat", "putAgent",
				"createAgentToken", "getConfiguration", "patchConfiguration", "getQueue", "putWebhook", "redeliver");
		assertThat(this.doc.toString()).doesNotContain("*/*");
	}

	@Test
	void successStatusesAreTheRealOnes() {
		assertThat(responses("createChat")).contains("201", "200");
		assertThat(responses("putAgent")).contains("201", "200");
		assertThat(responses("deleteAgent")).contains("204").doesNotContain("200");
		assertThat(responses("createAgentToken")).contains("201").doesNotContain("200");
		assertThat(responses("recordMessage")).contains("202").doesNotContain("200");
		assertThat(responses("selectMenu")).contains("202").doesNotContain("200");
		assertThat(responses("redeliver")).contains("202").doesNotContain("200");
		assertThat(operation("createChat").at("/responses/201/content/application~1json/schema/$ref").asText())
			.endsWith("/ChatView");
	}

	@Test
	void everyOperationDocumentsItsErrorsAsProblemDocuments() {
		for (Map.Entry<String, JsonNode> operation : operations()) {
			JsonNode responses = operation.getValue().path("responses");
			for (String status : List.of("400", "401", "403", "429", "503")) {
				assertThat(responses.at("/" + status + "/content/application~1problem+json/schema/$ref").asText())
					.as(operation.getKey() + " " + status)
					.isEqualTo("#/components/schemas/Problem");
			}
		}
		assertThat(operation("createChat").at("/responses/429/headers/Retry-After/schema/type").asText())
			.isEqualTo("integer");
		assertThat(responses("createChat")).contains("404", "409", "413", "415");
		assertThat(responses("getChat")).contains("404").doesNotContain("409", "413");
		JsonNode problem = this.doc.at("/components/schemas/Problem/properties");
		assertThat(problem.has("errors")).isTrue();
		assertThat(problem.at("/errors/items/properties").has("field")).isTrue();
		assertThat(problem.has("type")).isTrue();
	}

	@Test
	void theListingsParametersAreTypedAndBounded() {
		JsonNode limit = parameter("listChats", "limit");
		assertThat(limit.at("/schema/type").asText()).isEqualTo("integer");
		assertThat(limit.at("/schema/minimum").asInt()).isEqualTo(1);
		assertThat(limit.at("/schema/maximum").asInt()).isEqualTo(1000);
		assertThat(parameter("getQueue", "limit").at("/schema/type").asText()).isEqualTo("integer");
		assertThat(parameter("listChats", "status").at("/schema/enum").toString()).contains("OPEN", "CLOSED");
		assertThat(parameter("listDeliveries", "status").at("/schema/enum").toString()).contains("FAILED");
		for (String name : List.of("assignmentStatus", "agentId", "groupId", "updatedSince", "cursor")) {
			assertThat(parameter("listChats", name).isMissingNode()).as(name).isFalse();
		}
		assertThat(parameter("listChats", "parameters").isMissingNode()).isTrue();
	}

	@Test
	void theConfigurationHasEveryFieldWithItsTypeRangeAndDefault() {
		JsonNode properties = this.doc.at("/components/schemas/AutoAssignConfig/properties");
		for (ConfigField field : ConfigField.all()) {
			JsonNode property = properties.path(field.name());
			assertThat(property.path("type").asText()).as(field.name()).isEqualTo(field.type());
			if (field.type().equals("array")) {
				assertThat(property.path("default").isArray()).as(field.name()).isTrue();
				assertThat(property.path("default").size()).as(field.name()).isEqualTo(((List<?>) field.defaultValue()).size());
				assertThat(property.path("maxItems").asInt()).as(field.name()).isEqualTo(field.maximum());
				continue;
			}
			assertThat(property.path("default").asText()).as(field.name()).isEqualTo(String.valueOf(field.defaultValue()));
			if (field.minimum() != null) {
				assertThat(property.path("minimum").asInt()).as(field.name()).isEqualTo(field.minimum());
				assertThat(property.path("maximum").asInt()).as(field.name()).isEqualTo(field.maximum());
			}
		}
		assertThat(properties.at("/maxChatsPerAgent/maximum").asInt()).isEqualTo(100);
		assertThat(properties.at("/strategy/enum").toString()).contains("round_robin", "least_busy", "random");
		assertThat(properties.at("/weeklyHours/items/properties/day/enum").toString()).contains("MONDAY", "SUNDAY");
		assertThat(properties.at("/holidays/items/format").asText()).isEqualTo("date");
		assertThat(operation("patchConfiguration").at("/requestBody/content/application~1json/schema/$ref").asText())
			.endsWith("/AutoAssignConfigUpdate");
		assertThat(operation("getConfiguration").at("/responses/200/content/application~1json/schema/$ref").asText())
			.endsWith("/AutoAssignConfig");
	}

	@Test
	void theCommittedDocumentIsTheOneServed() throws Exception {
		ObjectNode served = this.doc.deepCopy();
		served.remove("servers"); // the test server's random port
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target/openapi.json"),
				this.json.writerWithDefaultPrettyPrinter().writeValueAsString(served));
		assertThat(this.json.readTree(Path.of("api/openapi.json").toFile()))
			.as("api/openapi.json (from which GeneratedClientIntegrationTests' client is generated) is the document "
					+ "the service serves: copy target/openapi.json over it")
			.isEqualTo(served);
		// an update sends only what it names: no defaults a generated client would send along
		assertThat(served.at("/components/schemas/AutoAssignConfigUpdate").toString()).doesNotContain("\"default\"");
	}

	@Test
	void everyRequestBodyHasAnExample() {
		for (Map.Entry<String, JsonNode> operation : operations()) {
			JsonNode body = operation.getValue().path("requestBody");
			if (!body.isMissingNode()) {
				assertThat(body.at("/content/application~1json/example").isMissingNode()).as(operation.getKey())
					.isFalse();
			}
		}
	}

	private List<Map.Entry<String, JsonNode>> operations() {
		List<Map.Entry<String, JsonNode>> operations = new ArrayList<>();
		this.doc.path("paths").fields().forEachRemaining((path) -> path.getValue().fields().forEachRemaining(
				(method) -> operations.add(Map.entry(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue()))));
		assertThat(operations).hasSizeGreaterThan(20);
		return operations;
	}

	private JsonNode operation(String id) {
		return operations().stream()
			.map(Map.Entry::getValue)
			.filter((op) -> op.path("operationId").asText().equals(id))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no operation " + id));
	}

	private List<String> responses(String id) {
		List<String> statuses = new ArrayList<>();
		operation(id).path("responses").fieldNames().forEachRemaining(statuses::add);
		return statuses;
	}

	private JsonNode parameter(String id, String name) {
		for (JsonNode parameter : operation(id).path("parameters")) {
			if (parameter.path("name").asText().equals(name)) {
				return parameter;
			}
		}
		return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
	}

}
