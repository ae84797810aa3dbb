package io.autoassign.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.domain.ConflictException;
import io.autoassign.domain.ForbiddenException;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.domain.NotFoundException;
import io.autoassign.platform.Transactions;
import io.autoassign.security.Role;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The chat operations of the REST API. Each runs in one transaction, retried when it loses a
 * race with another event for the same chat: it locks the chat's row and hands the event to
 * the chat's lifecycle process, whose delegates do the routing.
 */
@Service
class ChatService {

	private static final Logger log = LoggerFactory.getLogger(ChatService.class);

	private final ChatStore chats;

	private final SettingsService settings;

	private final AgentService agents;

	private final ChatLifecycle lifecycle;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final Clock clock;

	private final Counter created;

	ChatService(ChatStore chats, SettingsService settings, AgentService agents, ChatLifecycle lifecycle,
			CompanyLocks locks, Transactions transactions, Clock clock, MeterRegistry meters) {
		this.created = Counter.builder("autoassign.chats.opened")
			.description("Chats created (\"opened\": Prometheus reserves the suffix _created)").register(meters);
		this.chats = chats;
		this.settings = settings;
		this.agents = agents;
		this.lifecycle = lifecycle;
		this.locks = locks;
		this.transactions = transactions;
		this.clock = clock;
	}

	/** Result of a create: the chat, and whether this call created it. */
	public record Created(ChatView chat, boolean created) {
	}

	/** A chat the host platform asks to create (the id already chosen). */
	public record NewChat(String companyId, String chatId, String memberId, String memberName, String message,
			Priority priority, String preferredAgentId) {

		public NewChat {
			priority = priority == null ? Priority.NORMAL : priority;
		}

	}

	/** What became of one {@link NewChat}: created or found, or the failure that only it met. */
	public record Outcome(Created created, RuntimeException failure) {

		public Created orThrow() {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.created;
		}

	}

	/**
	 * Creates several chats in one transaction: one insert for all rows, one engine command for
	 * all lifecycles (so the engine writes them in one batch per table), one update to link
	 * them. Each chat is still routed on its own by its lifecycle. A chat whose company is
	 * unknown fails alone; any other failure fails all (nothing is kept).
	 */
	public List<Outcome> createAll(List<NewChat> requests) {
		List<Outcome> result = this.transactions.retrying(() -> {
			Instant now = this.clock.instant();
			// Company locks in a stable order, so two batches never wait for each other in a cycle.
			Map<String, AutoAssignConfig> configs = new TreeMap<>();
			for (String companyId : new TreeSet<>(requests.stream().map(NewChat::companyId).toList())) {
				this.settings.findForRouting(companyId).ifPresent((config) -> configs.put(companyId, config));
			}
			Map<String, Chat> wanted = new LinkedHashMap<>();
			for (NewChat request : requests) {
				AutoAssignConfig config = configs.get(request.companyId());
				if (config != null) {
					wanted.putIfAbsent(key(request.companyId(), request.chatId()),
							Chat.created(request.companyId(), request.chatId(),
									config.autoMenuEnabled() ? WaitingFor.MENU : null, request.memberId(),
									request.memberName(), request.message(), request.priority(),
									preferenceOf(request, config, now), now));
				}
			}
			List<Chat> inserted = this.chats.insertAll(new ArrayList<>(wanted.values()));
			List<ChatLifecycle.Start> starts = new ArrayList<>(inserted.size());
			for (Chat chat : inserted) {
				AutoAssignConfig config = configs.get(chat.companyId());
				starts.add(new ChatLifecycle.Start(chat, config, Inactivity.nextCheck(chat, config, now)));
			}
			List<String> instances = this.lifecycle.startChats(starts);
			Map<String, Chat> created = new HashMap<>();
			for (Chat chat : this.chats.setProcessInstances(inserted, instances)) {
				created.put(key(chat.companyId(), chat.chatId()), chat);
			}
			List<Outcome> outcomes = new ArrayList<>(requests.size());
			for (NewChat request : requests) {
				if (!configs.containsKey(request.companyId())) {
					outcomes.add(new Outcome(null, NotFoundException.company(request.companyId())));
					continue;
				}
				// the first request for a new id created it; any other finds it
				Chat chat = created.remove(key(request.companyId(), request.chatId()));
				boolean isNew = chat != null;
				if (chat == null) {
					chat = this.chats.find(request.companyId(), request.chatId()).orElseThrow();
				}
				outcomes.add(new Outcome(new Created(this.chats.view(chat), isNew), null));
			}
			return outcomes;
		});
		// counted once committed
		this.created.increment(result.stream().filter((o) -> o.created() != null && o.created().created()).count());
		return result;
	}

	/**
	 * Refuses (400 naming {@code field}) an agent id that is not an AGENT of the company; an
	 * unknown company is a 404.
	 */
	public void requireAgent(String companyId, String agentId, String field) {
		if (!this.settings.exists(companyId)) {
			throw NotFoundException.company(companyId);
		}
		boolean agent = this.agents.find(companyId, agentId).map((found) -> found.role() == Role.AGENT).orElse(false);
		if (!agent) {
			throw new InvalidInputException(field, "must be the id of an agent of the company with role AGENT");
		}
	}

	/**
	 * What a new chat prefers: the agent the platform named, or with {@code stickyAgentEnabled}
	 * the agent that handled the member's latest chat closed within {@code stickyWindowDays}
	 * (ASSIGNED or TAKEN_OVER at its close) while that one is still an AGENT of the company.
	 */
	private Preference preferenceOf(NewChat request, AutoAssignConfig config, Instant now) {
		if (request.preferredAgentId() != null) {
			return new Preference(request.preferredAgentId(), Preference.Reason.REQUESTED);
		}
		if (!config.stickyAgentEnabled()) {
			return null;
		}
		return this.chats
			.lastHandler(request.companyId(), request.memberId(), now.minus(Duration.ofDays(config.stickyWindowDays())))
			.filter((agentId) -> this.agents.find(request.companyId(), agentId)
				.map((agent) -> agent.role() == Role.AGENT)
				.orElse(false))
			.map((agentId) -> new Preference(agentId, Preference.Reason.RETURNING_MEMBER))
			.orElse(null);
	}

	/**
	 * Creates the chats as one batch ({@link #createAll}) and, should the batch fail as a whole,
	 * each on its own, so that a chat the database refuses fails alone and the others are created.
	 */
	public List<Outcome> createEach(List<NewChat> requests) {
		try {
			return createAll(requests);
		}
		catch (RuntimeException ex) {
			if (requests.size() == 1) {
				return List.of(new Outcome(null, ex));
			}
			log.debug("A batch of {} chats failed ({}); creating each on its own", requests.size(), ex.toString());
			List<Outcome> outcomes = new ArrayList<>(requests.size());
			for (NewChat request : requests) {
				try {
					outcomes.add(createAll(List.of(request)).get(0));
				}
				catch (RuntimeException single) {
					outcomes.add(new Outcome(null, single));
				}
			}
			return outcomes;
		}
	}

	private static String key(String companyId, String chatId) {
		return companyId + '\u0000' + chatId;
	}

	public Chat get(String companyId, String chatId) {
		return this.chats.find(companyId, chatId).orElseThrow(() -> NotFoundException.chat(companyId, chatId));
	}

	public ChatView view(Chat chat) {
		return this.chats.view(chat);
	}

	/** Records a message: activity for auto-close and re-balancing, and the last-message preview. */
	public void message(String companyId, String chatId, Sender sender, String text) {
		this.transactions.retrying(() -> {
			if (!this.chats.recordMessage(companyId, chatId, sender, text, this.clock.instant())) {
				get(companyId, chatId);
				throw new ConflictException("Chat " + chatId + " is closed");
			}
		});
	}

	/** The customer picked an Auto-Menu option: the chat is routed within that group. */
	public void selectMenu(String companyId, String chatId, String groupId) {
		this.transactions.retrying(() -> {
			this.locks.shared(companyId);
			Chat chat = lock(companyId, chatId);
			if (!chat.isOpen() || chat.waitingFor() != WaitingFor.MENU) {
				throw new ConflictException("Chat " + chatId + " is not waiting for a menu selection");
			}
			// A group no agent belongs to would leave the chat queued for nobody: refused, unless an
			// agent of the company (role AGENT, any status) is in it.
			if (this.agents.agents(companyId)
				.stream()
				.noneMatch((agent) -> agent.role() == Role.AGENT && agent.groupIds().contains(groupId))) {
				throw new InvalidInputException("groupId", "no agent of company " + companyId + " belongs to group "
						+ groupId + " (the chat would wait for nobody)");
			}
			this.chats.setGroup(companyId, chatId, groupId);
			this.lifecycle.menuSelected(chat);
		});
	}

	/** An admin takes the chat over. */
	public ChatView takeOver(String companyId, String chatId, String adminId) {
		return this.transactions.retrying(() -> {
			this.locks.shared(companyId);
			Chat chat = lock(companyId, chatId);
			Agent admin = this.agents.find(companyId, adminId).orElse(null);
			if (admin == null || admin.role() != Role.ADMIN) {
				throw new ForbiddenException(adminId + " is not an admin of company " + companyId);
			}
			if (!chat.isOpen()) {
				throw new ConflictException("Chat " + chatId + " is closed");
			}
			if (chat.assignmentStatus() == AssignmentStatus.TAKEN_OVER) {
				if (!adminId.equals(chat.assignedAgentId())) {
					this.lifecycle.retakeOver(chat, adminId);
				}
			}
			else {
				this.lifecycle.takeOver(chat, adminId);
			}
			return this.chats.view(get(companyId, chatId));
		});
	}

	/**
	 * Closes the chat, noting {@code detail} (the platform's reason; may be {@code null}); closing
	 * a closed chat changes nothing.
	 */
	public ChatView close(String companyId, String chatId, CloseDetail detail) {
		return this.transactions.retrying(() -> {
			this.locks.shared(companyId);
			Chat chat = lock(companyId, chatId);
			if (chat.isOpen()) {
				if (detail != null) {
					this.chats.setCloseDetail(companyId, chatId, detail);
				}
				this.lifecycle.close(chat);
			}
			return this.chats.view(get(companyId, chatId));
		});
	}

	/**
	 * Changes the chat's priority; a queued chat moves to its new place in the queue. A closed
	 * chat is a conflict; the same priority changes nothing.
	 */
	public ChatView setPriority(String companyId, String chatId, Priority priority) {
		return this.transactions.retrying(() -> {
			this.locks.shared(companyId);
			Chat chat = lock(companyId, chatId);
			if (!chat.isOpen()) {
				throw new ConflictException("Chat " + chatId + " is closed");
			}
			if (chat.priority() != priority) {
				this.lifecycle.reprioritize(chat, priority, PriorityChange.REQUESTED, this.clock.instant());
			}
			return this.chats.view(get(companyId, chatId));
		});
	}

	private Chat lock(String companyId, String chatId) {
		return this.chats.lock(companyId, chatId).orElseThrow(() -> NotFoundException.chat(companyId, chatId));
	}

}
