package io.autoassign.platform;

import java.util.Map;

import io.autoassign.support.Api;

import static org.assertj.core.api.Assertions.assertThat;

/** Sets up a company through the REST API, each call asserted to succeed. */
final class CompanySetup {

	private final Api api;

	CompanySetup(Api api) {
		this.api = api;
	}

	static String base(String company) {
		return "/api/v1/companies/" + company;
	}

	void config(String company, Map<String, Object> patch) {
		assertThat(this.api.patch(base(company) + "/auto-assign", patch).status()).isEqualTo(200);
	}

	void admin(String company, String id) {
		assertThat(this.api.put(base(company) + "/agents/" + id, Map.of("name", id, "role", "ADMIN")).status())
			.isBetween(200, 201);
	}

	/** An ACTIVE agent. */
	void agent(String company, String id) {
		assertThat(this.api.put(base(company) + "/agents/" + id, Map.of("name", id, "role", "AGENT")).status())
			.isBetween(200, 201);
		status(company, id, "ACTIVE");
	}

	void status(String company, String id, String status) {
		assertThat(this.api.put(base(company) + "/agents/" + id + "/status", Map.of("status", status)).status())
			.isEqualTo(200);
	}

	void chat(String company, String id) {
		assertThat(this.api.post(base(company) + "/chats", Map.of("chatId", id, "member", Map.of("id", "m-" + id)))
			.status()).isEqualTo(201);
	}

	Api.Response view(String company, String id) {
		return this.api.get(base(company) + "/chats/" + id);
	}

}
