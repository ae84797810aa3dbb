package io.autoassign.invariants;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.agent.AgentStatus;
import io.autoassign.assignment.RoutingKeys;
import io.autoassign.assignment.RoutingState;
import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.chat.Priority;
import io.autoassign.chat.WaitingFor;
import io.autoassign.lifecycle.ChatLifecycleProcess;
import io.autoassign.security.Role;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import org.springframework.stereotype.Component;

/**
 * Checks that a company's routing is consistent across PostgreSQL (the truth), Redis and the
 * engine: no agent above capacity; every open chat in exactly one state, the same in all three;
 * the queue in enqueue order; no chat queued while an agent who may take it has a free slot;
 * exactly one running lifecycle per open chat and none for a closed one; no incidents; closed
 * chats hold no capacity; neither Redis nor the engine route a chat the database does not know.
 * Reads every open chat and the {@value #CLOSED_CHECKED} most recently closed ones (plus any
 * other that Redis or the engine still routes), so its cost does not grow with a company's
 * history. Reads only; meant for tests and for operators ({@link InvariantsEndpoint}).
 * <p>
 * One {@link #check} reads PostgreSQL, Redis and the engine one after the other, so under load a
 * transaction in flight (capacity reserved in Redis but not committed yet, a slot given back
 * just after a commit) can show as a difference that is gone a moment later.
 * {@link #checkSettled} gives a clean answer on a live system: it checks again while violations
 * show and reports the company inconsistent only when no check within the window was clean.
 */
@Component
public class InvariantChecker {

	/**
	 * Closed chats checked, the most recently closed first: a closed chat is settled once, and
	 * reading a company's whole history would make the check grow with it.
	 */
	public static final int CLOSED_CHECKED = 10_000;

	private final ChatStore chats;

	private final SettingsService settings;

	private final Clock clock;

	private final RoutingState router;

	private final RuntimeService runtime;

	private final ManagementService management;

	private final AgentService agents;

	InvariantChecker(ChatStore chats, SettingsService settings, RoutingState router, RuntimeService runtime,
			ManagementService management, AgentService agents, Clock clock) {
		this.clock = clock;
		this.agents = agents;
		this.chats = chats;
		this.settings = settings;
		this.router = router;
		this.runtime = runtime;
		this.management = management;
	}

	/**
	 * What was checked and what was found wrong (empty when consistent): the open chats and the
	 * closed chats checked (at most {@value #CLOSED_CHECKED}).
	 */
	public record Report(String companyId, int openChats, int closedChats, List<String> violations) {

		public boolean consistent() {
			return this.violations.isEmpty();
		}

	}

	/**
	 * Checks the company up to {@code attempts} times, {@code pause} apart, until one check finds
	 * nothing wrong. A violation that persists shows in every check, so a clean check proves that
	 * none persists; when every check found something, the last check's findings are returned.
	 */
	public Settled checkSettled(String companyId, int attempts, Duration pause) {
		Report report = check(companyId);
		int checks = 1;
		while (!report.consistent() && checks < attempts) {
			try {
				Thread.sleep(pause.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			report = check(companyId);
			checks++;
		}
		return new Settled(report, checks);
	}

	/** The last of {@code checks} checks of {@link #checkSettled}. */
	public record Settled(Report report, int checks) {

	}

	public Report check(String companyId) {
		List<String> violations = new ArrayList<>();
		AutoAssignConfig config = this.settings.get(companyId);
		// every open chat, and the most recently closed ones: a company's history does not slow the check
		List<Chat> all = new ArrayList<>(this.chats.open(companyId));
		all.addAll(this.chats.recentlyClosed(companyId, CLOSED_CHECKED));
		// one atomic reading of Redis
		RoutingState.Snapshot redis = this.router.snapshot(companyId);
		Map<String, String> ledger = redis.ledger();
		List<String> redisQueue = new ArrayList<>(redis.queue().keySet());
		Set<String> queuedInRedis = new HashSet<>(redisQueue);
		Map<String, Integer> redisLoads = redis.loads();
		Map<String, String> instanceOf = new HashMap<>();
		Map<String, Integer> instancesPerChat = new HashMap<>();
		for (ProcessInstance instance : this.runtime.createProcessInstanceQuery()
			.processDefinitionKey(ChatLifecycleProcess.KEY)
			.tenantIdIn(companyId)
			.list()) {
			instanceOf.put(instance.getBusinessKey(), instance.getId());
			instancesPerChat.merge(instance.getBusinessKey(), 1, Integer::sum);
		}
		Map<String, Set<String>> waitingAt = new HashMap<>();
		for (ChatLifecycleProcess.Element element : new ChatLifecycleProcess.Element[] {
				ChatLifecycleProcess.Element.Task_InConversation, ChatLifecycleProcess.Element.Task_WaitInQueue,
				ChatLifecycleProcess.Element.Task_WaitAutoAssign, ChatLifecycleProcess.Element.Gateway_MenuWait,
				ChatLifecycleProcess.Element.Task_WaitPreferred }) {
			Set<String> instances = new HashSet<>();
			for (Execution execution : this.runtime.createExecutionQuery()
				.processDefinitionKey(ChatLifecycleProcess.KEY)
				.tenantIdIn(companyId)
				.activityId(element.name())
				.list()) {
				instances.add(execution.getProcessInstanceId());
			}
			waitingAt.put(element.name(), instances);
		}

		// and whatever else Redis or the engine still routes (closed long ago, or unknown)
		Set<String> others = new HashSet<>(ledger.keySet());
		others.addAll(redisQueue);
		others.addAll(instancesPerChat.keySet());
		all.forEach((chat) -> others.remove(chat.chatId()));
		all.addAll(this.chats.byIds(companyId, others));

		Map<String, Integer> loads = new HashMap<>();
		List<Chat> queued = new ArrayList<>();
		int open = 0;
		for (Chat chat : all) {
			String id = chat.chatId();
			if (!chat.isOpen()) {
				if (ledger.containsKey(id) || queuedInRedis.contains(id)) {
					violations.add("closed chat " + id + " still holds routing state in Redis");
				}
				if (instancesPerChat.containsKey(id)) {
					violations.add("closed chat " + id + " still has a running lifecycle");
				}
				continue;
			}
			open++;
			int instances = instancesPerChat.getOrDefault(id, 0);
			if (instances != 1) {
				violations.add("open chat " + id + " has " + instances + " running lifecycles");
				continue;
			}
			String instance = instanceOf.get(id);
			String expectedActivity = switch (chat.assignmentStatus()) {
				case ASSIGNED -> ChatLifecycleProcess.Element.Task_InConversation.name();
				case QUEUED -> ChatLifecycleProcess.Element.Task_WaitInQueue.name();
				case PENDING -> chat.waitingFor() == WaitingFor.MENU ? ChatLifecycleProcess.Element.Gateway_MenuWait.name()
						: chat.waitingFor() == WaitingFor.PREFERRED_AGENT
								? ChatLifecycleProcess.Element.Task_WaitPreferred.name()
								: ChatLifecycleProcess.Element.Task_WaitAutoAssign.name();
				case TAKEN_OVER -> null;
			};
			for (Map.Entry<String, Set<String>> state : waitingAt.entrySet()) {
				boolean there = state.getValue().contains(instance);
				if (there != state.getKey().equals(expectedActivity)) {
					violations.add("chat " + id + " is " + chat.assignmentStatus() + " in the database but "
							+ (there ? "waits at " : "does not wait at ") + state.getKey() + " in the engine");
				}
			}
			String holder = ledger.get(id);
			boolean inQueue = queuedInRedis.contains(id);
			if (chat.assignmentStatus() == AssignmentStatus.ASSIGNED) {
				loads.merge(chat.assignedAgentId(), 1, Integer::sum);
				if (!chat.assignedAgentId().equals(holder) || inQueue) {
					violations.add("chat " + id + " is ASSIGNED to " + chat.assignedAgentId() + " but Redis has holder "
							+ holder + (inQueue ? " and queues it" : ""));
				}
			}
			else if (chat.assignmentStatus() == AssignmentStatus.QUEUED) {
				queued.add(chat);
				if (holder != null || !inQueue) {
					violations.add("chat " + id + " is QUEUED but Redis has holder " + holder
							+ (inQueue ? "" : " and does not queue it"));
				}
			}
			else if (holder != null || inQueue) {
				violations.add("chat " + id + " is " + chat.assignmentStatus() + " but Redis routes it");
			}
		}
		Set<String> known = new HashSet<>();
		all.forEach((chat) -> known.add(chat.chatId()));
		ledger.keySet()
			.stream()
			.filter((id) -> !known.contains(id))
			.sorted()
			.forEach((id) -> violations.add("Redis gives chat " + id + ", which the database does not know, to agent "
					+ ledger.get(id)));
		redisQueue.stream()
			.filter((id) -> !known.contains(id))
			.forEach((id) -> violations.add("Redis queues chat " + id + ", which the database does not know"));
		instancesPerChat.keySet()
			.stream()
			.filter((id) -> !known.contains(id))
			.sorted()
			.forEach((id) -> violations.add("a lifecycle runs for chat " + id + ", which the database does not know"));
		int capacity = config.capacity();
		loads.forEach((agent, load) -> {
			if (capacity >= 0 && load > capacity) {
				violations.add("agent " + agent + " holds " + load + " chats, above its capacity " + capacity);
			}
			if (!load.equals(redisLoads.getOrDefault(agent, 0))) {
				violations.add("agent " + agent + " holds " + load + " chats but Redis counts "
						+ redisLoads.getOrDefault(agent, 0));
			}
		});
		redisLoads.forEach((agent, load) -> {
			if (load != 0 && !loads.containsKey(agent)) {
				violations.add("Redis counts " + load + " chats for agent " + agent + " who holds none");
			}
		});
		for (Agent agent : this.agents.agents(companyId)) {
			int load = loads.getOrDefault(agent.agentId(), 0);
			if (agent.role() != Role.AGENT || agent.status() != AgentStatus.ACTIVE || (capacity >= 0 && load >= capacity)
					|| !config.enabled() || !config.openAt(this.clock.instant())) {
				continue;
			}
			Set<String> pools = new HashSet<>();
			pools.add(RoutingKeys.pool(null));
			agent.groupIds().forEach((group) -> pools.add(RoutingKeys.pool(group)));
			for (Chat chat : queued) {
				if (pools.contains(chat.queuePool())) {
					violations.add("chat " + chat.chatId() + " waits in the queue while agent " + agent.agentId()
							+ " could take it");
					break;
				}
			}
		}
		// The queue's order is by priority, then by the atomic queue sequence; queued_at is taken in
		// the same step, so each priority's part of the queue reads alike in both orders. A chat's
		// rank stands for its own priority (no chat overtakes by a priority it does not have).
		queued.sort((a, b) -> Long.compare(a.queueSeq(), b.queueSeq()));
		for (Chat chat : queued) {
			if (Priority.ofQueueRank(chat.queueSeq()) != chat.priority()) {
				violations.add("chat " + chat.chatId() + " is " + chat.priority() + " but queued at the rank of "
						+ Priority.ofQueueRank(chat.queueSeq()));
				break;
			}
		}
		for (int i = 1; i < queued.size(); i++) {
			Chat before = queued.get(i - 1);
			Chat after = queued.get(i);
			if (before.priority() == after.priority() && before.queuedAt() != null && after.queuedAt() != null
					&& after.queuedAt().isBefore(before.queuedAt())) {
				violations.add("chat " + after.chatId() + " is queued after " + before.chatId() + " but its queuedAt "
						+ after.queuedAt() + " is earlier than " + before.queuedAt());
				break;
			}
		}
		List<String> expectedQueue = queued.stream().map(Chat::chatId).toList();
		if (!expectedQueue.equals(redisQueue)) {
			violations.add("the queue in Redis " + redisQueue + " differs from the database's " + expectedQueue);
		}
		long incidents = this.runtime.createIncidentQuery().tenantIdIn(companyId).count();
		if (incidents > 0) {
			violations.add(incidents + " incident(s)");
		}
		long failedJobs = this.management.createJobQuery().tenantIdIn(companyId).withException().count();
		if (failedJobs > 0) {
			violations.add(failedJobs + " job(s) failed and wait for a retry");
		}
		return new Report(companyId, open, all.size() - open, violations);
	}

}
