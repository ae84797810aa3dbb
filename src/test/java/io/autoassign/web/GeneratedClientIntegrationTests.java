package io.autoassign.web;

import java.util.List;

import io.autoassign.client.ApiClient;
import io.autoassign.client.ApiException;
import io.autoassign.client.api.AgentsApi;
import io.autoassign.client.api.ChatsApi;
import io.autoassign.client.api.ConfigurationApi;
import io.autoassign.client.api.QueueApi;
import io.autoassign.client.api.WebhooksApi;
import io.autoassign.client.model.AutoAssignConfig;
import io.autoassign.client.model.AutoAssignConfigUpdate;
import io.autoassign.client.model.ChatView;
import io.autoassign.client.model.CloseRequest;
import io.autoassign.client.model.CreateChatRequest;
import io.autoassign.client.model.MemberRequest;
import io.autoassign.client.model.StatusRequest;
import io.autoassign.client.model.UpsertAgentRequest;
import io.autoassign.client.model.WebhookRequest;
import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Java client generated at build time from the committed OpenAPI document (openapi-generator,
 * {@code api/openapi.json}, which {@link OpenApiDocumentIntegrationTests} keeps equal to the
 * served one) drives a short scenario against the running service: configuration, agents,
 * chats, queue, listing, close with a reason, a webhook, and an error answered as a problem.
 */
@IntegrationTest
class GeneratedClientIntegrationTests {

	@Autowired
	Api api;

	@Test
	void aGeneratedClientRunsAScenario() throws Exception {
		ApiClient client = new ApiClient();
		client.updateBaseUri(this.api.base());
		client.setRequestInterceptor((request) -> request.header("Authorization", "Bearer " + this.api.platformKey()));
		String company = Api.newCompany();

		AgentsApi agents = new AgentsApi(client);
		assertThat(agents.putAgent(company, "ann", new UpsertAgentRequest().name("Ann").role(UpsertAgentRequest.RoleEnum.AGENT))
			.getAgentId()).isEqualTo("ann");
		agents.setAgentStatus(company, "ann", new StatusRequest().status(StatusRequest.StatusEnum.ACTIVE));

		// a patch sends only what it names: the other settings keep their values
		ConfigurationApi configuration = new ConfigurationApi(client);
		configuration.patchConfiguration(company, new AutoAssignConfigUpdate().offlineGracePeriodMinutes(7));
		AutoAssignConfig config = configuration.patchConfiguration(company, new AutoAssignConfigUpdate().maxChatsPerAgent(1));
		assertThat(config.getMaxChatsPerAgent()).isEqualTo(1);
		assertThat(config.getOfflineGracePeriodMinutes()).isEqualTo(7);
		assertThat(config.getStrategy()).isEqualTo(AutoAssignConfig.StrategyEnum.LEAST_BUSY);

		try (WebhookReceiver receiver = WebhookReceiver.started()) {
			WebhooksApi webhooks = new WebhooksApi(client);
			webhooks.putWebhook(company, "crm",
					new WebhookRequest().url(receiver.url()).secret("generated-client-secret").events(List.of("CHAT_CLOSED")));
			assertThat(webhooks.listWebhooks(company)).hasSize(1);

			ChatsApi chats = new ChatsApi(client);
			ChatView first = chats.createChat(company,
					new CreateChatRequest().chatId("c1").member(new MemberRequest().id("m1").name("Bob")).message("Hello"));
			assertThat(first.getAssignedAgentId()).isEqualTo("ann");
			assertThat(first.getAssignmentStatus()).isEqualTo(ChatView.AssignmentStatusEnum.ASSIGNED);
			ChatView second = chats.createChat(company, new CreateChatRequest().chatId("c2").member(new MemberRequest().id("m2")));
			assertThat(second.getAssignmentStatus()).isEqualTo(ChatView.AssignmentStatusEnum.QUEUED);
			assertThat(second.getQueuePosition()).isEqualTo(1);
			assertThat(new QueueApi(client).getQueue(company, 10)).extracting((entry) -> entry.getChatId()).containsExactly("c2");
			assertThat(chats.listChats(company, "OPEN", null, null, null, null, 10, null).getChats())
				.extracting(ChatView::getChatId)
				.containsExactly("c1", "c2");

			ChatView closed = chats.closeChat(company, "c1", new CloseRequest().reason(CloseRequest.ReasonEnum.RESOLVED));
			assertThat(closed.getCloseDetail()).isEqualTo(ChatView.CloseDetailEnum.RESOLVED);
			assertThat(chats.getChat(company, "c2").getAssignedAgentId()).isEqualTo("ann");
			org.awaitility.Awaitility.await().until(() -> receiver.received().size() == 1);
			assertThat(webhooks.listDeliveries(company, "crm", "DELIVERED", null, null).getDeliveries()).hasSize(1);

			assertThatThrownBy(() -> chats.createChat(company,
					new CreateChatRequest().chatId("c2").member(new MemberRequest().id("someone-else"))))
				.isInstanceOfSatisfying(ApiException.class, (ex) -> {
					assertThat(ex.getCode()).isEqualTo(409);
					assertThat(ex.getResponseBody()).contains("member.id", "urn:auto-assign:problem:conflict");
				});
		}
	}

}
