package io.autoassign.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.autoassign.AutoAssignApplication;
import io.autoassign.support.Api;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-command run: an H2 file database under a data folder and a Redis server started from
 * the embedded-redis jar because nothing answers at the configured address, with the
 * documented development credentials.
 */
class EmbeddedRunIntegrationTests {

	@TempDir
	Path data;

	@Test
	void startsOnH2AndAnEmbeddedRedisAndRoutesAChat() throws Exception {
		int redisPort = freePort();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AutoAssignApplication.class).run(
				"--server.port=0", "--spring.datasource.url=jdbc:h2:file:" + this.data.resolve("auto-assign"),
				"--spring.data.redis.url=redis://127.0.0.1:" + redisPort, "--camunda.bpm.job-execution.enabled=false",
				"--auto-assign.api-key=", "--camunda.bpm.admin-user.password=")) {
			assertThat(context.getBean(EmbeddedRedis.class).started()).isTrue();
			Api api = new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"),
					"local-dev-key", context.getBean(ObjectMapper.class));
			Api.Response health = api.sendAuthorized("GET", "/actuator/health", null, "Basic "
					+ java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
			assertThat(health.text("status")).isEqualTo("UP");
			assertThat(health.body().at("/components/db/details/database").asText()).isEqualTo("H2");
			assertThat(health.body().at("/components/redis/status").asText()).isEqualTo("UP");
			assertThat(api.put("/api/v1/companies/local/agents/ann", Map.of("name", "Ann", "role", "AGENT")).status())
				.isEqualTo(201);
			api.put("/api/v1/companies/local/agents/ann/status", Map.of("status", "ACTIVE"));
			Api.Response chat = api.post("/api/v1/companies/local/chats", Map.of("member", Map.of("id", "m")));
			assertThat(chat.status()).isEqualTo(201);
			assertThat(chat.text("assignedAgentId")).isEqualTo("ann");
			// the service levels' statements run on H2 too: the hours and the no-reply settings are
			// stored and read back, and messages keep since when the member waits
			Api.Response config = api.patch("/api/v1/companies/local/auto-assign", Map.of("noReplyReassignEnabled", true,
					"businessHoursEnabled", true, "timeZone", "Europe/Berlin", "holidays", List.of("2026-12-25"),
					"weeklyHours", List.of(Map.of("day", "MONDAY", "from", "00:00", "to", "24:00"))));
			assertThat(config.status()).isEqualTo(200);
			assertThat(api.get("/api/v1/companies/local/auto-assign").body().path("weeklyHours").size()).isEqualTo(1);
			String chatId = chat.text("chatId");
			for (String sender : new String[] { "MEMBER", "AGENT", "MEMBER", "MEMBER" }) {
				assertThat(api.post("/api/v1/companies/local/chats/" + chatId + "/messages",
						Map.of("sender", sender, "text", "t")).status()).isEqualTo(202);
			}
			assertThat(api.get("/api/v1/companies/local/chats/" + chatId).body().path("awaitingReplySince").isTextual())
				.isTrue();
			assertThat(api.get("/api/v1/companies/local/business-hours").status()).isEqualTo(200);
			assertThat(Files.list(this.data).map((p) -> p.getFileName().toString())).anyMatch((n) -> n.endsWith(".db"));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
