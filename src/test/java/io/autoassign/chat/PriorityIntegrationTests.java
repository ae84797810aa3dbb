package io.autoassign.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.events.AutoAssignEvent.ChatPriorityChanged;
import io.autoassign.events.AutoAssignEvent.ChatQueued;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat priority on real PostgreSQL and Redis: the queue serves URGENT, HIGH, NORMAL, LOW, each
 * in arrival order, in its positions, its listing, its events and its drain; a new priority
 * moves a queued chat and one event tells the admins where every queued chat went; bad input is a
 * 400 naming the field and its values; a closed chat is a conflict.
 */
@IntegrationTest
class PriorityIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	EventRecorder events;

	@Autowired
	InvariantChecker invariants;

	String company;

	final List<StompTestClient> clients = new ArrayList<>();

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1));
		this.api.put(base() + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN"));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
	}

	@AfterEach
	void consistent() {
		this.clients.forEach(StompTestClient::close);
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void theQueueServesHigherPrioritiesFirstEachInArrivalOrderInPositionsListingEventsAndDrain() {
		assertThat(create("busy", null).text("assignedAgentId")).isEqualTo("a");
		assertThat(create("n1", null).body().path("queuePosition").asInt()).isEqualTo(1);
		assertThat(create("l1", "LOW").body().path("queuePosition").asInt()).isEqualTo(2);
		Api.Response u1 = create("u1", "URGENT");
		assertThat(u1.body().path("queuePosition").asInt()).isEqualTo(1);
		assertThat(u1.text("priority")).isEqualTo("URGENT");
		assertThat(create("h1", "HIGH").body().path("queuePosition").asInt()).isEqualTo(2);
		assertThat(create("n2", "NORMAL").body().path("queuePosition").asInt()).isEqualTo(4);
		assertThat(create("u2", "URGENT").body().path("queuePosition").asInt()).isEqualTo(2);

		List<String> order = List.of("u1", "u2", "h1", "n1", "n2", "l1");
		JsonNode queue = this.api.get(base() + "/queue").body();
		assertThat(queue.findValuesAsText("chatId")).containsExactlyElementsOf(order);
		assertThat(queue.findValuesAsText("priority")).containsExactly("URGENT", "URGENT", "HIGH", "NORMAL", "NORMAL",
				"LOW");
		for (int i = 0; i < order.size(); i++) {
			assertThat(this.api.get(base() + "/chats/" + order.get(i)).body().path("queuePosition").asInt())
				.as(order.get(i))
				.isEqualTo(i + 1);
		}
		// CHAT_QUEUED carries the priority and the position the chat took when it arrived
		assertThat(this.events.of(this.company, ChatQueued.class))
			.extracting(ChatQueued::chatId, ChatQueued::queuePosition, ChatQueued::priority)
			.contains(org.assertj.core.groups.Tuple.tuple("u2", 2, Priority.URGENT),
					org.assertj.core.groups.Tuple.tuple("l1", 2, Priority.LOW));
		// an admin's sync lists the queue in the same order, with priorities
		JsonNode sync = session("boss").subscribeOwn();
		assertThat(sync.path("queuedChats").findValuesAsText("chatId")).containsExactlyElementsOf(order);
		assertThat(sync.path("queuedChats").get(0).path("priority").asText()).isEqualTo("URGENT");

		// the drain: each close frees a's one slot, and the next chat by priority then arrival gets it
		List<String> served = new ArrayList<>();
		String holding = "busy";
		for (int i = 0; i < order.size(); i++) {
			this.api.post(base() + "/chats/" + holding + "/close", null);
			holding = this.events.of(this.company, ChatAssigned.class).get(i + 1).chatId();
			served.add(holding);
		}
		assertThat(served).containsExactlyElementsOf(order);
	}

	@Test
	void aNewPriorityMovesAQueuedChatAndOneEventSaysWhereEveryQueuedChatWent() {
		create("busy", null);
		create("n1", null);
		create("n2", null);
		create("n3", null);
		StompTestClient boss = session("boss");
		boss.subscribeOwn();

		Api.Response moved = this.api.put(base() + "/chats/n3/priority", Map.of("priority", "HIGH"));
		assertThat(moved.status()).isEqualTo(200);
		assertThat(moved.text("priority")).isEqualTo("HIGH");
		assertThat(moved.body().path("queuePosition").asInt()).isEqualTo(1);
		assertThat(this.api.get(base() + "/queue").body().findValuesAsText("chatId")).containsExactly("n3", "n1", "n2");

		// one event says where every queued chat went: n3 from 3 to 1, n1 and n2 one down each
		JsonNode event = boss.awaitEvent("CHAT_PRIORITY_CHANGED", "n3");
		assertThat(event.path("priority").asText()).isEqualTo("HIGH");
		assertThat(event.path("previousPriority").asText()).isEqualTo("NORMAL");
		assertThat(event.path("previousQueuePosition").asInt()).isEqualTo(3);
		assertThat(event.path("queuePosition").asInt()).isEqualTo(1);
		assertThat(event.at("/chat/version").asLong()).isEqualTo(moved.body().path("version").asLong());
		assertThat(this.events.of(this.company, ChatPriorityChanged.class)).hasSize(1);

		// the same priority again changes nothing and announces nothing
		assertThat(this.api.put(base() + "/chats/n3/priority", Map.of("priority", "HIGH")).body().path("version")
			.asLong()).isEqualTo(moved.body().path("version").asLong());
		assertThat(this.events.of(this.company, ChatPriorityChanged.class)).hasSize(1);

		// back to NORMAL: behind n1 and n2, which arrived before it
		this.api.put(base() + "/chats/n3/priority", Map.of("priority", "NORMAL"));
		assertThat(this.api.get(base() + "/queue").body().findValuesAsText("chatId")).containsExactly("n1", "n2", "n3");

		// an assigned chat keeps its agent; its holder and the admins learn its priority
		StompTestClient a = session("a");
		a.subscribeOwn();
		Api.Response busy = this.api.put(base() + "/chats/busy/priority", Map.of("priority", "URGENT"));
		assertThat(busy.text("assignedAgentId")).isEqualTo("a");
		assertThat(busy.text("priority")).isEqualTo("URGENT");
		JsonNode held = a.awaitEvent("CHAT_PRIORITY_CHANGED", "busy");
		assertThat(held.path("queuePosition").isNull()).isTrue();
		assertThat(held.path("previousQueuePosition").isNull()).isTrue();
		assertThat(this.api.get(base() + "/chats/busy").text("priority")).isEqualTo("URGENT");
	}

	@Test
	void badPrioritiesAreRefusedNamingTheFieldAndAClosedChatIsAConflict() {
		Api.Response unknown = this.api.post(base() + "/chats",
				Map.of("chatId", "x1", "member", Map.of("id", "m"), "priority", "CRITICAL"));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.raw().body()).contains("priority").contains("LOW, NORMAL, HIGH, URGENT");
		assertThat(this.api.get(base() + "/chats/x1").status()).isEqualTo(404);

		create("c1", null);
		Api.Response missing = this.api.put(base() + "/chats/c1/priority", Map.of());
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.raw().body()).contains("priority");
		Api.Response wrong = this.api.put(base() + "/chats/c1/priority", Map.of("priority", "soon"));
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.raw().body()).contains("LOW, NORMAL, HIGH, URGENT");

		this.api.post(base() + "/chats/c1/close", null);
		assertThat(this.api.put(base() + "/chats/c1/priority", Map.of("priority", "HIGH")).status()).isEqualTo(409);
		assertThat(this.api.put(base() + "/chats/ghost/priority", Map.of("priority", "HIGH")).status()).isEqualTo(404);
		assertThat(this.api.get(base() + "/chats/c1").text("priority")).isEqualTo("NORMAL");
	}

	private Api.Response create(String chatId, String priority) {
		Map<String, Object> body = priority == null ? Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId))
				: Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId), "priority", priority);
		Api.Response response = this.api.post(base() + "/chats", body);
		assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
		return response;
	}

	private StompTestClient session(String agentId) {
		StompTestClient client = StompTestClient.withToken(this.api.base(),
				this.api.post(base() + "/agents/" + agentId + "/tokens", null).text("token"));
		this.clients.add(client);
		return client;
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
