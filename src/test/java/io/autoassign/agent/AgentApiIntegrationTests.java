package io.autoassign.agent;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class AgentApiIntegrationTests {

	@Autowired
	Api api;

	@Test
	void upsertCreatesThenUpdates() {
		String company = Api.newCompany();
		Api.Response created = this.api.put(agent(company, "ann"),
				Map.of("name", "Ann", "role", "AGENT", "groupIds", List.of("sales", "support", "sales")));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.text("agentId")).isEqualTo("ann");
		assertThat(created.text("status")).isEqualTo("OFFLINE");
		assertThat(created.body().get("activeChats").intValue()).isZero();
		assertThat(created.body().get("groupIds").findValuesAsText("")).isEmpty();
		assertThat(created.body().get("groupIds")).hasSize(2);
		Api.Response updated = this.api.put(agent(company, "ann"), Map.of("name", "Ann B.", "role", "ADMIN"));
		assertThat(updated.status()).isEqualTo(200);
		assertThat(updated.text("name")).isEqualTo("Ann B.");
		assertThat(updated.text("role")).isEqualTo("ADMIN");
		assertThat(updated.body().get("groupIds")).isEmpty();
	}

	@Test
	void statusChangesAndIsListed() {
		String company = Api.newCompany();
		this.api.put(agent(company, "b"), Map.of("name", "B", "role", "AGENT"));
		this.api.put(agent(company, "a"), Map.of("name", "A", "role", "ADMIN"));
		Api.Response active = this.api.put(agent(company, "b") + "/status", Map.of("status", "ACTIVE"));
		assertThat(active.status()).isEqualTo(200);
		assertThat(active.text("status")).isEqualTo("ACTIVE");
		Api.Response list = this.api.get("/api/v1/companies/" + company + "/agents");
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body().findValuesAsText("agentId")).containsExactly("a", "b");
		assertThat(this.api.get(agent(company, "b")).text("status")).isEqualTo("ACTIVE");
	}

	@Test
	void badAgentInputIsA400AndUnknownAgentsAre404() {
		String company = Api.newCompany();
		assertThat(this.api.put(agent(company, "x"), Map.of("name", "X", "role", "BOSS")).status()).isEqualTo(400);
		assertThat(this.api.put(agent(company, "x"), Map.of("role", "AGENT")).status()).isEqualTo(400);
		assertThat(this.api.put(agent(company, "x"), Map.of("name", "X", "role", "AGENT", "groupIds", List.of("a b")))
			.status()).isEqualTo(400);
		assertThat(this.api.put(agent(company, "x"), Map.of("name", "X", "role", "AGENT", "groupIds", "sales"))
			.status()).isEqualTo(400);
		assertThat(this.api.put(agent(company, "x".repeat(129)), Map.of("name", "X", "role", "AGENT")).status())
			.isEqualTo(400);
		this.api.put(agent(company, "x"), Map.of("name", "X", "role", "AGENT"));
		Api.Response badStatus = this.api.put(agent(company, "x") + "/status", Map.of("status", "AWAY"));
		assertThat(badStatus.status()).isEqualTo(400);
		assertThat(badStatus.body().get("errors").get(0).get("field").asText()).isEqualTo("status");
		assertThat(this.api.put(agent(company, "ghost") + "/status", Map.of("status", "ACTIVE")).status())
			.isEqualTo(404);
		assertThat(this.api.get(agent(company, "ghost")).status()).isEqualTo(404);
		assertThat(this.api.get("/api/v1/companies/" + Api.newCompany() + "/agents").status()).isEqualTo(404);
	}

	private static String agent(String company, String agentId) {
		return "/api/v1/companies/" + company + "/agents/" + agentId;
	}

}
