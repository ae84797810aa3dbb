package io.autoassign.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ChatApiIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.put("/api/v1/companies/" + this.company + "/agents/ann", Map.of("name", "Ann", "role", "AGENT"));
		this.api.put("/api/v1/companies/" + this.company + "/agents/ann/status", Map.of("status", "ACTIVE"));
		this.api.put("/api/v1/companies/" + this.company + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
	}

	@Test
	void postingTheSameChatIdTwiceStartsOneLifecycle() {
		Api.Response first = create(Map.of("chatId", "c-1", "member", Map.of("id", "m-1", "name", "Bob"), "message", "Hi"));
		Api.Response second = create(Map.of("chatId", "c-1", "member", Map.of("id", "m-1", "name", "Bob"), "message", "Hi"));
		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(first.text("assignmentStatus")).isEqualTo("ASSIGNED");
		assertThat(first.text("assignedAgentId")).isEqualTo("ann");
		assertThat(first.body().at("/member/name").asText()).isEqualTo("Bob");
		assertThat(first.body().at("/lastMessage/text").asText()).isEqualTo("Hi");
		assertThat(first.body().at("/lastMessage/sender").asText()).isEqualTo("MEMBER");
		assertThat(instances("c-1")).isEqualTo(1);
	}

	@Test
	void postingAnExistingChatIdWithAnotherMemberOrAClosedOnesIdIsA409NamingTheField() {
		create(Map.of("chatId", "c-1", "member", Map.of("id", "m-1", "name", "Bob")));
		Api.Response otherId = create(Map.of("chatId", "c-1", "member", Map.of("id", "m-2", "name", "Bob")));
		assertThat(otherId.status()).isEqualTo(409);
		assertThat(otherId.body().path("errors").findValuesAsText("field")).containsExactly("member.id");
		Api.Response otherName = create(Map.of("chatId", "c-1", "member", Map.of("id", "m-1", "name", "Robert")));
		assertThat(otherName.status()).isEqualTo(409);
		assertThat(otherName.body().path("errors").findValuesAsText("field")).containsExactly("member.name");
		assertThat(this.api.get(chat("c-1")).body().at("/member/name").asText()).isEqualTo("Bob");
		this.api.post(chat("c-1") + "/close", null);
		Api.Response closed = create(Map.of("chatId", "c-1", "member", Map.of("id", "m-1", "name", "Bob")));
		assertThat(closed.status()).isEqualTo(409);
		assertThat(closed.body().path("errors").findValuesAsText("field")).containsExactly("chatId");
		assertThat(closed.body().path("detail").asText()).contains("closed");
		assertThat(this.api.get(chat("c-1")).text("status")).isEqualTo("CLOSED");
	}

	@Test
	void aCloseMaySayWhyFromTheDocumentedList() {
		create(Map.of("chatId", "r-1", "member", Map.of("id", "m")));
		Api.Response closed = this.api.post(chat("r-1") + "/close", Map.of("reason", "SPAM"));
		assertThat(closed.status()).isEqualTo(200);
		assertThat(closed.text("closeReason")).isEqualTo("CLOSED");
		assertThat(closed.text("closeDetail")).isEqualTo("SPAM");
		// closing again changes nothing, whatever it says
		assertThat(this.api.post(chat("r-1") + "/close", Map.of("reason", "RESOLVED")).text("closeDetail"))
			.isEqualTo("SPAM");
		assertThat(this.api.get(chat("r-1")).text("closeDetail")).isEqualTo("SPAM");
		create(Map.of("chatId", "r-2", "member", Map.of("id", "m")));
		Api.Response bad = this.api.post(chat("r-2") + "/close", Map.of("reason", "BORED"));
		assertField(bad, "reason");
		assertThat(bad.body().path("errors").get(0).path("message").asText()).contains("RESOLVED", "MEMBER_LEFT");
		assertThat(this.api.get(chat("r-2")).text("status")).isEqualTo("OPEN");
		Api.Response plain = this.api.post(chat("r-2") + "/close", null);
		assertThat(plain.text("status")).isEqualTo("CLOSED");
		assertThat(plain.body().path("closeDetail").isNull()).isTrue();
	}

	@Test
	void aMenuSelectionOfAGroupNoAgentBelongsToIsA400NamingGroupId() {
		this.api.put("/api/v1/companies/" + this.company + "/agents/sam",
				Map.of("name", "Sam", "role", "AGENT", "groupIds", List.of("sales")));
		// an admin in a group does not make it one a chat can be routed to
		this.api.put("/api/v1/companies/" + this.company + "/agents/boss",
				Map.of("name", "Boss", "role", "ADMIN", "groupIds", List.of("vip")));
		this.api.patch("/api/v1/companies/" + this.company + "/auto-assign", Map.of("autoMenuEnabled", true));
		create(Map.of("chatId", "m-1", "member", Map.of("id", "m")));
		assertField(this.api.post(chat("m-1") + "/menu-selection", Map.of("groupId", "billing")), "groupId");
		assertField(this.api.post(chat("m-1") + "/menu-selection", Map.of("groupId", "vip")), "groupId");
		assertThat(this.api.get(chat("m-1")).text("assignmentStatus")).isEqualTo("PENDING");
		assertThat(this.api.post(chat("nope") + "/menu-selection", Map.of("groupId", "sales")).status())
			.isEqualTo(404);
		// a group an agent belongs to, even one that is offline now
		assertThat(this.api.post(chat("m-1") + "/menu-selection", Map.of("groupId", "sales")).status()).isEqualTo(202);
	}

	@Test
	void anAdminTokenTakesOverAsItselfWithoutAnAdminId() {
		create(Map.of("chatId", "t-1", "member", Map.of("id", "m")));
		String admin = this.api.post("/api/v1/companies/" + this.company + "/agents/boss/tokens", null).text("token");
		Api.Response taken = this.api.send("POST", chat("t-1") + "/takeover", null, admin);
		assertThat(taken.status()).isEqualTo(200);
		assertThat(taken.text("assignmentStatus")).isEqualTo("TAKEN_OVER");
		assertThat(taken.text("assignedAgentId")).isEqualTo("boss");
		create(Map.of("chatId", "t-2", "member", Map.of("id", "m")));
		assertThat(this.api.send("POST", chat("t-2") + "/takeover", Map.of(), admin).text("assignedAgentId"))
			.isEqualTo("boss");
		// the platform must say who
		assertField(this.api.post(chat("t-2") + "/takeover", null), "adminId");
	}

	@Test
	void concurrentPostsOfOneChatIdStartOneLifecycle() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Api.Response>> responses = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				Callable<Api.Response> post = () -> create(Map.of("chatId", "same", "member", Map.of("id", "m")));
				responses.add(pool.submit(post));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Api.Response> response : responses) {
				statuses.add(response.get().status());
			}
			assertThat(statuses).containsOnly(200, 201);
			assertThat(statuses).filteredOn((s) -> s == 201).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(instances("same")).isEqualTo(1);
	}

	@Test
	void aChatWithoutIdGetsOne() {
		Api.Response created = create(Map.of("member", Map.of("id", "m-1")));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.text("chatId")).isNotBlank();
		assertThat(created.body().get("lastMessage").isNull()).isTrue();
		assertThat(this.api.get(chat(created.text("chatId"))).status()).isEqualTo(200);
	}

	@Test
	void theLifecycleInstanceNamesItsChatAndCompany() {
		create(Map.of("chatId", "visible", "member", Map.of("id", "m")));
		var instance = this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.processInstanceBusinessKey("visible")
			.tenantIdIn(this.company)
			.singleResult();
		assertThat(instance).isNotNull();
		assertThat(instance.getTenantId()).isEqualTo(this.company);
	}

	@Test
	void chatsOfAnUnknownCompanyAre404() {
		String unknown = Api.newCompany();
		Api.Response response = this.api.post("/api/v1/companies/" + unknown + "/chats", Map.of("member", Map.of("id", "m")));
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(this.api.get("/api/v1/companies/" + unknown + "/queue").status()).isEqualTo(404);
		assertThat(this.api.get(chat("nope")).status()).isEqualTo(404);
	}

	@Test
	void badChatInputIsA400WithTheField() {
		assertField(create(Map.of("chatId", "c-x")), "member");
		assertField(create(Map.of("member", Map.of("name", "no id"))), "member.id");
		assertField(create(Map.of("chatId", "has space", "member", Map.of("id", "m"))), "chatId");
		assertField(create(Map.of("chatId", "x".repeat(129), "member", Map.of("id", "m"))), "chatId");
		assertField(create(Map.of("member", Map.of("id", "m"), "message", "x".repeat(10_001))), "message");
		assertField(create(Map.of("member", "not an object")), "member");
		assertField(this.api.post(chat("c") + "/messages", Map.of("sender", "BOT", "text", "hi")), "sender");
		assertField(this.api.post(chat("c") + "/messages", Map.of("sender", "MEMBER", "text", "")), "text");
		assertField(this.api.post(chat("c") + "/menu-selection", Map.of("groupId", "a,b")), "groupId");
		assertField(this.api.post(chat("c") + "/takeover", Map.of()), "adminId");
		assertThat(this.api.post("/api/v1/companies/bad%20id/chats", Map.of("member", Map.of("id", "m"))).status())
			.isEqualTo(400);
	}

	@Test
	void oversizedBodiesAre413() {
		Api.Response response = this.api.post("/api/v1/companies/" + this.company + "/chats",
				"{\"member\":{\"id\":\"m\"},\"message\":\"" + "x".repeat(70_000) + "\"}");
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void messagesUpdateThePreviewAndAreRefusedOnClosedChats() {
		create(Map.of("chatId", "talk", "member", Map.of("id", "m")));
		assertThat(this.api.post(chat("talk") + "/messages", Map.of("sender", "AGENT", "text", "Hello!")).status())
			.isEqualTo(202);
		Api.Response view = this.api.get(chat("talk"));
		assertThat(view.body().at("/lastMessage/text").asText()).isEqualTo("Hello!");
		assertThat(view.body().at("/lastMessage/sender").asText()).isEqualTo("AGENT");
		assertThat(this.api.post(chat("talk") + "/close", null).status()).isEqualTo(200);
		assertThat(this.api.post(chat("talk") + "/messages", Map.of("sender", "MEMBER", "text", "late")).status())
			.isEqualTo(409);
		assertThat(this.api.post(chat("ghost") + "/messages", Map.of("sender", "MEMBER", "text", "x")).status())
			.isEqualTo(404);
	}

	@Test
	void menuSelectionIs409UnlessTheChatWaitsForOne() {
		this.api.put("/api/v1/companies/" + this.company + "/agents/sam",
				Map.of("name", "Sam", "role", "AGENT", "groupIds", List.of("sales")));
		create(Map.of("chatId", "plain", "member", Map.of("id", "m")));
		assertThat(this.api.post(chat("plain") + "/menu-selection", Map.of("groupId", "sales")).status()).isEqualTo(409);
		this.api.patch("/api/v1/companies/" + this.company + "/auto-assign", Map.of("autoMenuEnabled", true));
		create(Map.of("chatId", "menu", "member", Map.of("id", "m")));
		assertThat(this.api.get(chat("menu")).text("assignmentStatus")).isEqualTo("PENDING");
		assertThat(this.api.post(chat("menu") + "/menu-selection", Map.of("groupId", "sales")).status()).isEqualTo(202);
		assertThat(this.api.post(chat("menu") + "/menu-selection", Map.of("groupId", "sales")).status()).isEqualTo(409);
		assertThat(this.api.post(chat("ghost") + "/menu-selection", Map.of("groupId", "sales")).status()).isEqualTo(404);
	}

	@Test
	void takeoverNeedsAnAdminOfTheCompanyAndAnOpenChat() {
		create(Map.of("chatId", "t", "member", Map.of("id", "m")));
		assertThat(this.api.post(chat("t") + "/takeover", Map.of("adminId", "ann")).status()).isEqualTo(403);
		assertThat(this.api.post(chat("t") + "/takeover", Map.of("adminId", "nobody")).status()).isEqualTo(403);
		Api.Response taken = this.api.post(chat("t") + "/takeover", Map.of("adminId", "boss"));
		assertThat(taken.status()).isEqualTo(200);
		assertThat(taken.text("assignmentStatus")).isEqualTo("TAKEN_OVER");
		assertThat(taken.text("assignedAgentId")).isEqualTo("boss");
		assertThat(this.api.post(chat("t") + "/takeover", Map.of("adminId", "boss")).status()).isEqualTo(200);
		this.api.post(chat("t") + "/close", null);
		assertThat(this.api.post(chat("t") + "/takeover", Map.of("adminId", "boss")).status()).isEqualTo(409);
		assertThat(this.api.post(chat("ghost") + "/takeover", Map.of("adminId", "boss")).status()).isEqualTo(404);
	}

	@Test
	void closingIsIdempotentAndEndsTheLifecycle() {
		create(Map.of("chatId", "bye", "member", Map.of("id", "m")));
		Api.Response closed = this.api.post(chat("bye") + "/close", null);
		assertThat(closed.status()).isEqualTo(200);
		assertThat(closed.text("status")).isEqualTo("CLOSED");
		assertThat(closed.text("closeReason")).isEqualTo("CLOSED");
		assertThat(closed.text("closedAt")).isNotNull();
		assertThat(this.api.post(chat("bye") + "/close", null).body()).isEqualTo(closed.body());
		assertThat(instances("bye")).isZero();
		assertThat(this.api.post(chat("ghost") + "/close", null).status()).isEqualTo(404);
	}

	private long instances(String chatId) {
		return this.engine.runtime()
			.createProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.processInstanceBusinessKey(chatId)
			.tenantIdIn(this.company)
			.count();
	}

	private Api.Response create(Object body) {
		return this.api.post("/api/v1/companies/" + this.company + "/chats", body);
	}

	private String chat(String chatId) {
		return "/api/v1/companies/" + this.company + "/chats/" + chatId;
	}

	private static void assertField(Api.Response response, String field) {
		assertThat(response.status()).as(response.raw().body()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().get("errors").findValuesAsText("field")).contains(field);
	}

}
