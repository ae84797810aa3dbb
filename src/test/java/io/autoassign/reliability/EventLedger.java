package io.autoassign.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.autoassign.bench.AgentSessions.Received;

/**
 * What each user's STOMP clients were told: the chats an agent holds according to its
 * CHAT_ASSIGNMENT_SYNC and the chat events that followed, replayed in arrival order (a chat's
 * events arrive in commit order). A sync replaces what the user believed, as a reconnecting
 * browser would. Compared with the database at the end, it shows events that were lost,
 * duplicated into a wrong state or delivered out of order.
 */
final class EventLedger {

	private final Map<String, Map<String, Boolean>> held = new ConcurrentHashMap<>();

	private final Map<String, JsonNode> lastSync = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> syncs = new ConcurrentHashMap<>();

	private final AtomicLong events = new AtomicLong();

	private final Map<String, List<String>> history = new ConcurrentHashMap<>();

	void accept(Received received) {
		JsonNode event = received.event();
		String user = received.user();
		String chatId = event.path("chatId").asText();
		this.events.incrementAndGet();
		if (!chatId.isEmpty()) {
			this.history.computeIfAbsent(chatId, (c) -> java.util.Collections.synchronizedList(new ArrayList<>()))
				.add(user + ":" + event.path("type").asText() + (event.has("agentId") ? "(" + event.path("agentId").asText() + ")" : ""));
		}
		synchronized (this) {
			switch (event.path("type").asText()) {
				case "CHAT_ASSIGNMENT_SYNC" -> {
					Map<String, Boolean> chats = new ConcurrentHashMap<>();
					for (JsonNode chat : event.path("assignedChats")) {
						chats.put(chat.path("chatId").asText(), Boolean.TRUE);
						this.history.computeIfAbsent(chat.path("chatId").asText(),
								(c) -> java.util.Collections.synchronizedList(new ArrayList<>())).add(user + ":SYNC");
					}
					this.held.put(user, chats);
					this.lastSync.put(user, event);
					this.syncs.computeIfAbsent(user, (u) -> new AtomicLong()).incrementAndGet();
				}
				case "CHAT_ASSIGNED" -> {
					if (user.equals(event.path("agentId").asText())) {
						chats(user).put(chatId, Boolean.TRUE);
					}
				}
				case "CHAT_UNASSIGNED" -> chats(user).put(chatId, Boolean.FALSE);
				case "CHAT_TAKEN_OVER" -> {
					if (user.equals(event.path("previousAgentId").asText())) {
						chats(user).put(chatId, Boolean.FALSE);
					}
				}
				default -> {
				}
			}
		}
	}

	/** The chats {@code user} was last told it holds. */
	synchronized Set<String> believed(String user) {
		Set<String> chats = new TreeSet<>();
		chats(user).forEach((chatId, holds) -> {
			if (holds) {
				chats.add(chatId);
			}
		});
		return chats;
	}

	JsonNode lastSync(String user) {
		return this.lastSync.get(user);
	}

	long syncsOf(String user) {
		AtomicLong count = this.syncs.get(user);
		return count == null ? 0 : count.get();
	}

	long events() {
		return this.events.get();
	}

	/** For each agent whose belief differs from the database: what it was told and what is true. */
	List<String> differences(Store store, String companyId, Collection<String> agents) {
		List<String> differences = new ArrayList<>();
		for (String agent : agents) {
			Set<String> truth = new TreeSet<>(store.assignedTo(companyId, agent));
			Set<String> told = believed(agent);
			if (!truth.equals(told)) {
				Set<String> missing = new TreeSet<>(truth);
				missing.removeAll(told);
				Set<String> extra = new TreeSet<>(told);
				extra.removeAll(truth);
				List<String> evidence = new ArrayList<>();
				for (String chatId : missing) {
					evidence.add(chatId + " events: " + this.history.getOrDefault(chatId, List.of()));
				}
				for (String chatId : extra) {
					evidence.add(chatId + " events: " + this.history.getOrDefault(chatId, List.of()));
				}
				differences.add(agent + " holds " + truth.size() + " chats, was told " + told.size() + " (not told "
						+ missing + ", wrongly told " + extra + "); " + evidence);
			}
		}
		return differences;
	}

	/** Polls until every agent's belief equals the database or the deadline passes; answers the last differences. */
	List<String> awaitAgreement(Store store, String companyId, Collection<String> agents, Duration timeout) {
		List<List<String>> last = new ArrayList<>(List.of(List.of()));
		Waits.until(timeout, () -> {
			last.set(0, differences(store, companyId, agents));
			return last.get(0).isEmpty();
		});
		return last.get(0);
	}

	private Map<String, Boolean> chats(String user) {
		return this.held.computeIfAbsent(user, (u) -> new ConcurrentHashMap<>());
	}

}
