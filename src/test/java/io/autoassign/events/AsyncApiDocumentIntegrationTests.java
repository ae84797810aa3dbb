package io.autoassign.events;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The AsyncAPI document ({@code src/main/resources/static/asyncapi.yaml}, served at
 * {@code /asyncapi.yaml}) names every event type the code can emit, and the events that real
 * STOMP sessions receive in a scenario that produces each type validate against its schemas.
 */
@IntegrationTest
class AsyncApiDocumentIntegrationTests {

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	ObjectMapper json;

	final List<StompTestClient> clients = new ArrayList<>();

	JsonNode doc;

	@BeforeEach
	void document() throws Exception {
		Api.Response served = this.api.sendAuthorized("GET", "/asyncapi.yaml", null, OPERATOR);
		assertThat(served.status()).isEqualTo(200);
		String kept = Files.readString(Path.of("src/main/resources/static/asyncapi.yaml"));
		assertThat(served.raw().body()).isEqualTo(kept);
		this.doc = this.json.valueToTree(new Yaml().load(kept));
	}

	@AfterEach
	void close() {
		this.clients.forEach(StompTestClient::close);
		this.engine.resetClock();
	}

	@Test
	void itNamesTheEndpointTheDestinationAndEveryEventTypeTheCodeEmits() throws Exception {
		assertThat(this.doc.path("asyncapi").asText()).startsWith("2.");
		assertThat(this.doc.at("/servers/service/protocol").asText()).isEqualTo("stomp");
		assertThat(this.doc.at("/servers/service/url").asText()).endsWith("/ws");
		assertThat(this.doc.path("channels").has("/user/queue/auto-assign")).isTrue();
		Set<String> documented = new TreeSet<>();
		this.doc.at("/components/messages").forEach((message) -> documented.add(message.path("name").asText()));
		Set<String> emitted = new TreeSet<>();
		for (Class<?> type : AutoAssignEvent.class.getPermittedSubclasses()) {
			emitted.add(typeOf(type));
		}
		assertThat(emitted).hasSize(AutoAssignEvent.class.getPermittedSubclasses().length)
			.containsAll(AutoAssignEvent.CHANGE_TYPES)
			.contains("CHAT_ASSIGNMENT_SYNC");
		assertThat(documented).isEqualTo(emitted);
		assertThat(this.doc.at("/channels/~1user~1queue~1auto-assign/subscribe/message/oneOf")).hasSize(emitted.size());
	}

	@Test
	void eventsReceivedOverStompValidateAgainstTheirSchemas() {
		String company = Api.newCompany();
		String base = "/api/v1/companies/" + company;
		this.api.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base + "/agents/a", Map.of("name", "A", "role", "AGENT", "groupIds", List.of("sales")));
		this.api.put(base + "/agents/b", Map.of("name", "B", "role", "AGENT"));
		StompTestClient boss = client(this.api.post(base + "/agents/boss/tokens", null).text("token"));
		StompTestClient agent = client(this.api.post(base + "/agents/a/tokens", null).text("token"));
		StompTestClient platform = StompTestClient.connect(this.api.base(),
				Map.of("Authorization", "Bearer " + this.api.platformKey(), "company-id", company));
		this.clients.add(platform);
		platform.subscribeOwn();

		this.api.patch(base + "/auto-assign", Map.of("maxChatsPerAgent", 1, "offlineGracePeriodMinutes", 0));
		this.api.put(base + "/agents/a/status", Map.of("status", "ACTIVE"));
		chat(base, "c1");
		chat(base, "c2");
		this.api.put(base + "/chats/c2/priority", Map.of("priority", "URGENT"));
		this.api.put(base + "/agents/b/status", Map.of("status", "ACTIVE"));
		this.api.post(base + "/chats/c2/takeover", Map.of("adminId", "boss"));
		this.api.put(base + "/agents/a/status", Map.of("status", "OFFLINE"));
		this.engine.runDueJobs(company);
		this.api.post(base + "/chats/c1/close", null);
		// b, holding c3, does not answer in time and may not pass it on: the admins are asked
		this.api.patch(base + "/auto-assign",
				Map.of("noReplyReassignEnabled", true, "noReplyMinutes", 1, "maxNoReplyReassignments", 0));
		chat(base, "c3");
		this.engine.advance(Duration.ofMinutes(2));
		this.engine.runDueJobs(company);
		// a fresh session after all that: its sync holds chats and the queue
		StompTestClient late = client(this.api.post(base + "/agents/boss/tokens", null).text("token"));

		await().untilAsserted(() -> assertThat(types(boss, agent, platform, late))
			.containsAll(AutoAssignEvent.CHANGE_TYPES)
			.contains("CHAT_ASSIGNMENT_SYNC"));
		Map<String, JsonSchema> schemas = schemas();
		int validated = 0;
		for (StompTestClient client : List.of(boss, agent, platform, late)) {
			for (JsonNode event : client.messages()) {
				JsonSchema schema = schemas.get(event.path("type").asText());
				assertThat(schema).as("a schema for " + event.path("type")).isNotNull();
				Set<ValidationMessage> errors = schema.validate(event);
				assertThat(errors).as(event.toString()).isEmpty();
				validated++;
			}
		}
		assertThat(validated).isGreaterThan(10);
	}

	@Test
	void theSchemasRefuseWhatTheyShould() {
		Map<String, JsonSchema> schemas = schemas();
		ObjectNode queued = this.json.createObjectNode()
			.put("type", "CHAT_QUEUED")
			.put("eventId", "e")
			.put("companyId", "co")
			.put("occurredAt", "2026-12-03T10:00:00Z")
			.put("chatId", "c")
			.put("queuePosition", 1)
			.put("version", 2);
		assertThat(schemas.get("CHAT_QUEUED").validate(queued)).isEmpty();
		assertThat(schemas.get("CHAT_QUEUED").validate(queued.deepCopy().put("queuePosition", 0))).isNotEmpty();
		assertThat(schemas.get("CHAT_QUEUED")
			.validate(queued.deepCopy().put("reason", "OUTSIDE_BUSINESS_HOURS").put("opensAt", "2026-12-07T09:00:00Z")))
			.isEmpty();
		assertThat(schemas.get("CHAT_QUEUED").validate(queued.deepCopy().put("reason", "CLOSED"))).isNotEmpty();
		assertThat(schemas.get("CHAT_QUEUED").validate(queued.deepCopy().put("type", "CHAT_CLOSED"))).isNotEmpty();
		ObjectNode noVersion = queued.deepCopy();
		noVersion.remove("version");
		assertThat(schemas.get("CHAT_QUEUED").validate(noVersion)).isNotEmpty();
	}

	/** Each message's payload schema, by event type, with the document's components beside it for its refs. */
	private Map<String, JsonSchema> schemas() {
		JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
		Map<String, JsonSchema> schemas = new HashMap<>();
		this.doc.at("/components/messages").forEach((message) -> {
			ObjectNode root = this.json.createObjectNode();
			root.put("$schema", "http://json-schema.org/draft-07/schema#");
			root.putArray("allOf").add(message.path("payload"));
			root.set("components", this.doc.path("components"));
			schemas.put(message.path("name").asText(), factory.getSchema(root));
		});
		return schemas;
	}

	private static Set<String> types(StompTestClient... clients) {
		Set<String> types = new TreeSet<>();
		for (StompTestClient client : clients) {
			client.messages().forEach((message) -> types.add(message.path("type").asText()));
		}
		return types;
	}

	private StompTestClient client(String token) {
		StompTestClient client = StompTestClient.withToken(this.api.base(), token);
		this.clients.add(client);
		client.subscribeOwn();
		return client;
	}

	private void chat(String base, String chatId) {
		assertThat(this.api.post(base + "/chats", Map.of("chatId", chatId, "member",
				Map.of("id", "m-" + chatId, "name", "Member"), "message", "Hi")).status()).isEqualTo(201);
	}

	/** The type an event record reports (its canonical constructor given nulls and zeros). */
	private static String typeOf(Class<?> record) throws Exception {
		RecordComponent[] components = record.getRecordComponents();
		Class<?>[] types = new Class<?>[components.length];
		Object[] values = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			types[i] = components[i].getType();
			Object zero = null;
			if (types[i] == int.class) {
				zero = 0;
			}
			else if (types[i] == long.class) {
				zero = 0L;
			}
			values[i] = zero;
		}
		Constructor<?> constructor = record.getDeclaredConstructor(types);
		constructor.setAccessible(true);
		return ((AutoAssignEvent) constructor.newInstance(values)).type();
	}

}
