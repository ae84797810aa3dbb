package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.invariants.InvariantChecker;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing rules as a host platform sees them through the API.
 */
@IntegrationTest
class RoutingBehaviourIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	Engine engine;

	@Autowired
	InvariantChecker invariants;

	String company;

	@BeforeEach
	void company() {
		this.company = Api.newCompany();
	}

	@AfterEach
	void consistent() {
		assertThat(this.invariants.check(this.company).violations()).isEmpty();
	}

	@Test
	void roundRobinRotatesThroughTheActiveAgents() {
		config(Map.of("strategy", "round_robin", "unlimitedChatsPerAgent", true));
		agent("a");
		agent("b");
		agent("c");
		assertThat(assignees(7)).containsExactly("a", "b", "c", "a", "b", "c", "a");
	}

	@Test
	void leastBusySpreadsTheLoad() {
		config(Map.of("strategy", "least_busy", "maxChatsPerAgent", 10));
		agent("a");
		agent("b");
		agent("c");
		List<String> assignees = assignees(9);
		assertThat(assignees.stream().filter("a"::equals)).hasSize(3);
		assertThat(assignees.stream().filter("b"::equals)).hasSize(3);
		assertThat(assignees.stream().filter("c"::equals)).hasSize(3);
	}

	@Test
	void randomReachesEveryAgentAboutEquallyOften() {
		config(Map.of("strategy", "random", "unlimitedChatsPerAgent", true));
		agent("a");
		agent("b");
		agent("c");
		Map<String, Integer> counts = new HashMap<>();
		assignees(300).forEach((agent) -> counts.merge(agent, 1, Integer::sum));
		// 100 expected each; a 5-sigma band, so the test fails for a biased choice, not by chance
		assertThat(counts).containsOnlyKeys("a", "b", "c");
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isBetween(60, 140));
	}

	@Test
	void inactiveAgentsKeepTheirChatsAndReceiveNone() {
		agent("a");
		chat("c1");
		status("a", "INACTIVE");
		assertThat(chat("c2").text("assignmentStatus")).isEqualTo("QUEUED");
		assertThat(view("c1").text("assignedAgentId")).isEqualTo("a");
		assertThat(this.engine.runtime().createProcessInstanceQuery().tenantIdIn(this.company)
			.processDefinitionKey("agent-offline-grace").count()).isZero();
	}

	@Test
	void raisingTheCapacityDispatchesTheQueue() {
		config(Map.of("maxChatsPerAgent", 1));
		agent("a");
		chat("c1");
		chat("c2");
		chat("c3");
		config(Map.of("maxChatsPerAgent", 3));
		this.engine.runDueJobs(this.company);
		assertThat(view("c2").text("assignedAgentId")).isEqualTo("a");
		assertThat(view("c3").text("assignedAgentId")).isEqualTo("a");
	}

	@Test
	void withGroupBasedAssignmentAChatIsOnlyReassignedWithinItsGroup() {
		config(Map.of("autoMenuEnabled", true, "groupBasedAssignment", true, "offlineGracePeriodMinutes", 0));
		agent("s1", "sales");
		agent("o", "support");
		chat("c1");
		this.api.post(base() + "/chats/c1/menu-selection", Map.of("groupId", "sales"));
		assertThat(view("c1").text("assignedAgentId")).isEqualTo("s1");
		status("s1", "OFFLINE");
		this.engine.runDueJobs(this.company);
		// o is free but not in sales: the chat waits for a sales agent
		assertThat(view("c1").text("assignmentStatus")).isEqualTo("QUEUED");
		agent("s2", "sales");
		assertThat(view("c1").text("assignedAgentId")).isEqualTo("s2");
	}

	@Test
	void withoutGroupBasedAssignmentAReassignedChatMayLeaveItsGroup() {
		config(Map.of("autoMenuEnabled", true, "groupBasedAssignment", false, "offlineGracePeriodMinutes", 0));
		agent("s1", "sales");
		agent("o", "support");
		chat("c1");
		this.api.post(base() + "/chats/c1/menu-selection", Map.of("groupId", "sales"));
		status("s1", "OFFLINE");
		this.engine.runDueJobs(this.company);
		assertThat(view("c1").text("assignedAgentId")).isEqualTo("o");
		assertThat(view("c1").text("assignedGroupId")).isEqualTo("sales");
	}

	@Test
	void aConfigChangeNeverDropsAChat() {
		config(Map.of("maxChatsPerAgent", 3));
		agent("a");
		chat("c1");
		chat("c2");
		chat("c3");
		config(Map.of("maxChatsPerAgent", 1));
		assertThat(List.of(view("c1"), view("c2"), view("c3"))).allSatisfy(
				(chat) -> assertThat(chat.text("assignedAgentId")).isEqualTo("a"));
		assertThat(chat("c4").text("assignmentStatus")).isEqualTo("QUEUED");
		// two chats close: a is still at its (new) capacity after the first
		this.api.post(base() + "/chats/c1/close", null);
		assertThat(view("c4").text("assignmentStatus")).isEqualTo("QUEUED");
		this.api.post(base() + "/chats/c2/close", null);
		this.api.post(base() + "/chats/c3/close", null);
		assertThat(view("c4").text("assignedAgentId")).isEqualTo("a");
	}

	private List<String> assignees(int chats) {
		List<String> assignees = new ArrayList<>();
		for (int i = 0; i < chats; i++) {
			assignees.add(chat("c" + i).text("assignedAgentId"));
		}
		return assignees;
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

	private void config(Map<String, Object> patch) {
		assertThat(this.api.patch(base() + "/auto-assign", patch).status()).isEqualTo(200);
	}

	private void agent(String id, String... groups) {
		this.api.put(base() + "/agents/" + id, Map.of("name", id, "role", "AGENT", "groupIds", List.of(groups)));
		status(id, "ACTIVE");
	}

	private void status(String id, String status) {
		assertThat(this.api.put(base() + "/agents/" + id + "/status", Map.of("status", status)).status()).isEqualTo(200);
	}

	private Api.Response chat(String id) {
		Api.Response response = this.api.post(base() + "/chats", Map.of("chatId", id, "member", Map.of("id", "m")));
		assertThat(response.status()).isEqualTo(201);
		return response;
	}

	private Api.Response view(String id) {
		return this.api.get(base() + "/chats/" + id);
	}

}
