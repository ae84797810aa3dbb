package io.autoassign.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.settings.ConfigField;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * Completes the OpenAPI document springdoc derives from the controllers, so that a client can
 * be generated from it: the API's title and version, the bearer scheme (API key or token), the
 * real success statuses, every error status with the problem document's schema, the
 * configuration's schema (types, ranges, defaults), the listings' query parameters with their
 * types and ranges, and an example for each request body.
 */
@Component
class OpenApiDocument implements OpenApiCustomizer {

	/** The version of the {@code /api/v1} contract this document describes. */
	static final String VERSION = "1.0.0";

	private static final String PROBLEM = "Problem";

	private static final String CONFIG = "AutoAssignConfig";

	private static final String CONFIG_UPDATE = "AutoAssignConfigUpdate";

	/** Success statuses by operation, where they are not just 200. */
	private static final Map<String, List<String>> SUCCESS = Map.ofEntries(Map.entry("putAgent", List.of("201", "200")),
			Map.entry("deleteAgent", List.of("204")), Map.entry("createAgentToken", List.of("201")),
			Map.entry("createChat", List.of("201", "200")), Map.entry("recordMessage", List.of("202")),
			Map.entry("selectMenu", List.of("202")), Map.entry("putWebhook", List.of("201", "200")),
			Map.entry("deleteWebhook", List.of("204")), Map.entry("redeliver", List.of("202")));

	/** Operations that may answer 409. */
	private static final Map<String, String> CONFLICTS = Map.of("createChat",
			"The chat id exists with another member, or belongs to a closed chat (errors names the field)", "recordMessage",
			"The chat is closed", "selectMenu", "The chat is not waiting for a menu selection", "takeOverChat",
			"The chat is closed", "putWebhook", "The company has the most webhooks it may have");

	/** Operations that answer 404 for an unknown company (others: for an unknown agent, chat, webhook...). */
	private static final Set<String> COMPANY_LOOKUPS = Set.of("listAgents", "getQueue", "listChats", "listWebhooks",
			"createChat");

	@Override
	public void customise(OpenAPI api) {
		api.info(new Info().title("Auto-Assign API")
			.version(VERSION)
			.description("Chat routing for support teams: the host platform (API key) creates chats and agents; "
					+ "agents and admins (tokens minted by the platform) act on their own. Every error is an "
					+ "application/problem+json document; a 400 lists each bad field in errors. Real-time events: "
					+ "STOMP over WebSocket at /ws (described by the AsyncAPI document /asyncapi.yaml), or signed "
					+ "webhooks."));
		Components components = api.getComponents() == null ? new Components() : api.getComponents();
		api.components(components);
		components.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.description("The host platform's API key, or an agent's or admin's token from "
					+ "POST /api/v1/companies/{companyId}/agents/{agentId}/tokens"));
		components.addSecuritySchemes("operatorBasic", new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("basic")
			.description("The operator login (Cockpit's user): /actuator endpoints and /engine-rest, not /api/v1"));
		api.security(List.of(new SecurityRequirement().addList("bearer")));
		if (components.getSchemas() != null) {
			// the configuration's bodies are read as JsonNode (to name unknown fields); they have their own schema
			components.getSchemas().remove("JsonNode");
		}
		components.addSchemas(PROBLEM, problemSchema());
		components.addSchemas(CONFIG, configSchema(true));
		components.addSchemas(CONFIG_UPDATE, configSchema(false));
		if (api.getPaths() == null) {
			return;
		}
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			String id = operation.getOperationId();
			if (id == null) {
				return;
			}
			successes(operation, id);
			errors(path, method, operation, id);
			parameters(operation, id);
			requestBody(operation, id);
			if (id.endsWith("Configuration")) {
				operation.getResponses().get("200").setContent(json(new Schema<>().$ref(CONFIG)));
			}
		}));
	}

	private static void successes(Operation operation, String id) {
		List<String> statuses = SUCCESS.get(id);
		ApiResponses responses = operation.getResponses();
		ApiResponse ok = responses.get("200");
		Content content = ok == null ? null : json(ok.getContent());
		if (ok != null) {
			ok.setContent(content);
		}
		if (statuses == null) {
			if (ok != null) {
				ok.setDescription("OK");
			}
			return;
		}
		responses.remove("200");
		for (String status : statuses) {
			boolean empty = status.equals("204") || (status.equals("202") && !id.equals("redeliver"));
			responses.addApiResponse(status, new ApiResponse().description(switch (status) {
				case "201" -> "Created";
				case "202" -> "Accepted";
				case "204" -> "Deleted";
				default -> id.startsWith("put") ? "Replaced" : "It exists already: returned unchanged";
			}).content(empty ? null : content));
		}
	}

	private static void errors(String path, PathItem.HttpMethod method, Operation operation, String id) {
		ApiResponses responses = operation.getResponses();
		boolean body = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
				|| method == PathItem.HttpMethod.PATCH;
		problem(responses, "400", "Bad input: each bad field (or path or query parameter) is named in errors");
		problem(responses, "401", "No credentials, or credentials that authenticate nobody (expired, forged, "
				+ "of a deleted agent, of an agent whose role changed)");
		problem(responses, "403", "The caller may not do this (another company's resources, an agent's "
				+ "token where an admin's or the platform's is needed)");
		if (COMPANY_LOOKUPS.contains(id) || path.contains("{agentId}") || path.contains("{chatId}")
				|| path.contains("{webhookId}")) {
			problem(responses, "404", "The company, agent, chat, webhook or delivery does not exist");
		}
		if (CONFLICTS.containsKey(id)) {
			problem(responses, "409", CONFLICTS.get(id));
		}
		if (body) {
			problem(responses, "413", "The body is larger than 64 KiB, or one of its strings is too long");
			problem(responses, "415", "The body is not JSON in UTF-8");
		}
		if (path.startsWith("/api/v1/companies/")) {
			problem(responses, "429", "The company is over its rate limit (auto-assign.rate-limit: 5,000 requests "
					+ "per second and bursts of 10,000 by default); nothing was done: try again after Retry-After");
			responses.get("429")
				.addHeaderObject("Retry-After", new Header().description("Seconds to wait before the next request")
					.schema(new IntegerSchema().minimum(BigDecimal.ONE)));
		}
		problem(responses, "503", "PostgreSQL or Redis cannot be reached, or the company's lock was not "
				+ "obtained in time: try again after Retry-After");
	}

	private static void problem(ApiResponses responses, String status, String description) {
		responses.addApiResponse(status, new ApiResponse().description(description)
			.content(new Content().addMediaType("application/problem+json",
					new MediaType().schema(new Schema<>().$ref(PROBLEM)))));
	}

	/** The listings' query parameters (the controllers read them from a map, to name unknown ones). */
	private static void parameters(Operation operation, String id) {
		if (operation.getParameters() != null) {
			operation.getParameters().removeIf((p) -> "query".equals(p.getIn()) && p.getName().equals("parameters"));
		}
		switch (id) {
			case "listChats" -> {
				query(operation, "status", "OPEN or CLOSED", enumeration("OPEN", "CLOSED"));
				query(operation, "assignmentStatus", "The chat's assignment status",
						enumeration("PENDING", "ASSIGNED", "QUEUED", "TAKEN_OVER"));
				query(operation, "agentId", "The agent or admin holding (a closed chat: last holding) the chat",
						new StringSchema());
				query(operation, "groupId", "The chat's group", new StringSchema());
				query(operation, "updatedSince", "Chats whose state changed at or after this instant (ISO-8601)",
						new StringSchema().format("date-time"));
				limit(operation, 1000, 100);
				query(operation, "cursor", "The next value of the previous page", new StringSchema());
			}
			case "listDeliveries" -> {
				query(operation, "status", "The deliveries' status", enumeration("PENDING", "DELIVERED", "FAILED"));
				limit(operation, 1000, 100);
				query(operation, "cursor", "The next value of the previous page", new StringSchema());
			}
			case "getQueue" -> {
				operation.getParameters().removeIf((p) -> p.getName().equals("limit"));
				limit(operation, 10_000, 1000);
			}
			default -> {
			}
		}
	}

	private static void limit(Operation operation, int max, int defaultValue) {
		IntegerSchema schema = new IntegerSchema();
		schema.setMinimum(java.math.BigDecimal.ONE);
		schema.setMaximum(java.math.BigDecimal.valueOf(max));
		schema.setDefault(defaultValue);
		query(operation, "limit", "Most entries on one page", schema);
	}

	private static void query(Operation operation, String name, String description, Schema<?> schema) {
		operation.addParametersItem(new Parameter().in("query").name(name).description(description).required(false)
			.schema(schema));
	}

	private static StringSchema enumeration(String... values) {
		StringSchema schema = new StringSchema();
		for (String value : values) {
			schema.addEnumItem(value);
		}
		return schema;
	}

	/** Examples of the request bodies; the configuration's body gets its schema. */
	private static void requestBody(Operation operation, String id) {
		if (id.equals("putConfiguration") || id.equals("patchConfiguration")) {
			operation.setRequestBody(new RequestBody().required(true)
				.content(json(new Schema<>().$ref(CONFIG_UPDATE)))
				.description(id.startsWith("put") ? "The whole configuration; omitted fields take their defaults"
						: "The fields to change; omitted fields keep their values"));
		}
		Object example = EXAMPLES.get(id);
		if (example != null && operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
			operation.getRequestBody().setContent(json(operation.getRequestBody().getContent()));
			operation.getRequestBody().getContent().values().forEach((media) -> media.setExample(example));
		}
	}

	private static final Map<String, Object> EXAMPLES = Map.ofEntries(
			Map.entry("putAgent", Map.of("name", "Ann Lee", "role", "AGENT", "groupIds", List.of("sales"))),
			Map.entry("setAgentStatus", Map.of("status", "ACTIVE")),
			Map.entry("createAgentToken", Map.of("ttlMinutes", 480)),
			Map.entry("createChat",
					Map.of("chatId", "chat-42", "member", Map.of("id", "member-7", "name", "Bob"), "message",
							"Hello, my order did not arrive", "priority", "HIGH")),
			Map.entry("setChatPriority", Map.of("priority", "URGENT")),
			Map.entry("recordMessage", Map.of("sender", "MEMBER", "text", "Are you there?")),
			Map.entry("selectMenu", Map.of("groupId", "sales")), Map.entry("takeOverChat", Map.of("adminId", "boss")),
			Map.entry("closeChat", Map.of("reason", "RESOLVED")),
			Map.entry("putConfiguration", Map.of("strategy", "least_busy", "maxChatsPerAgent", 5)),
			Map.entry("patchConfiguration", Map.of("maxChatsPerAgent", 8)),
			Map.entry("putWebhook", Map.of("url", "https://platform.example.com/auto-assign/events", "secret",
					"whsec-use-a-long-random-string", "events", List.of("CHAT_ASSIGNED", "CHAT_CLOSED"), "enabled",
					true)));

	/** The same schemas under application/json only (springdoc offers {@code *}/{@code *} where nothing is declared). */
	private static Content json(Content content) {
		if (content == null || content.isEmpty()) {
			return content;
		}
		MediaType media = content.containsKey("application/json") ? content.get("application/json")
				: content.values().iterator().next();
		return new Content().addMediaType("application/json", media);
	}

	private static Content json(Schema<?> schema) {
		return new Content().addMediaType("application/json", new MediaType().schema(schema));
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> problemSchema() {
		ObjectSchema error = new ObjectSchema();
		error.addProperty("field", new StringSchema().description("The field, path or query parameter, e.g. member.id"));
		error.addProperty("message", new StringSchema());
		error.setRequired(List.of("field", "message"));
		ObjectSchema problem = new ObjectSchema();
		problem.description("An RFC 9457 problem document");
		problem.addProperty("type", new StringSchema().description("A URI naming the kind of error"));
		problem.addProperty("title", new StringSchema());
		problem.addProperty("status", new IntegerSchema());
		problem.addProperty("detail", new StringSchema());
		problem.addProperty("instance", new StringSchema().description("The request's path"));
		problem.addProperty("errors", new ArraySchema().items(error).description("Each bad field (400; some 409)"));
		problem.addProperty("chatId",
				new StringSchema().description("A 503 of POST .../chats: the chat that is still being created"));
		problem.setRequired(new ArrayList<>(List.of("title", "status")));
		return problem;
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> configSchema(boolean complete) {
		ObjectSchema config = new ObjectSchema();
		config.description(complete ? "A company's auto-assign configuration"
				: "Configuration fields to write; any other field is refused (400)");
		Map<String, Schema> properties = new LinkedHashMap<>();
		for (ConfigField field : ConfigField.all()) {
			Schema schema = switch (field.type()) {
				case "integer" -> {
					IntegerSchema integer = new IntegerSchema();
					integer.setMinimum(java.math.BigDecimal.valueOf(field.minimum()));
					integer.setMaximum(java.math.BigDecimal.valueOf(field.maximum()));
					yield integer;
				}
				case "string" -> field.allowed().isEmpty()
						? new StringSchema().description("An IANA time zone id, such as Europe/Berlin or UTC")
						: enumeration(field.allowed().toArray(String[]::new));
				case "array" -> {
					ArraySchema array = new ArraySchema();
					array.setMaxItems(field.maximum());
					if (field.name().equals("holidays")) {
						array.setItems(new StringSchema().format("date"));
						array.setDescription("Dates (in timeZone) on which the team is closed all day; no repeats");
					}
					else {
						ObjectSchema period = new ObjectSchema();
						period.addProperty("day", enumeration("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",
								"SATURDAY", "SUNDAY"));
						period.addProperty("from", new StringSchema().pattern("^([01]\\d|2[0-3]):[0-5]\\d$")
							.description("Opening time, HH:mm, included"));
						period.addProperty("to", new StringSchema().pattern("^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$")
							.description("Closing time, HH:mm after from, excluded; 24:00 is the end of the day"));
						period.setRequired(List.of("day", "from", "to"));
						array.setItems(period);
						array.setDescription("Opening periods of the week in timeZone, each with exactly day, from and to;"
								+ " periods of one day may not overlap;"
								+ " a period past midnight is two entries (to 24:00, from 00:00)");
					}
					yield array;
				}
				default -> new io.swagger.v3.oas.models.media.BooleanSchema();
			};
			if (complete) {
				schema.setDefault(field.defaultValue());
			}
			else {
				// no default here: a generated client would send it, overwriting the company's value
				String about = schema.getDescription() == null ? "" : schema.getDescription() + ". ";
				schema.setDescription(about + "Default " + field.defaultValue() + "; omitted: see the operation");
			}
			properties.put(field.name(), schema);
		}
		config.setProperties(properties);
		config.setAdditionalProperties(false);
		if (complete) {
			config.setRequired(new ArrayList<>(properties.keySet()));
		}
		return config;
	}

}
