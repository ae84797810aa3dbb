package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.autoassign.agent.Agent;
import io.autoassign.platform.TransactionScoped;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.Strategy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Java face of the routing scripts: each method is one atomic Redis step. Every mutating
 * call holds the company's shared lock and is journaled, so that a rollback of the surrounding
 * transaction is repaired from the database; a company whose state is missing from Redis
 * raises {@link RoutingStateMissing} and is rebuilt after the rollback.
 */
@Component
public class Router {

	private final StringRedisTemplate redis;

	private final RoutingScripts scripts;

	private final CompanyLocks locks;

	private final ObjectProvider<RoutingRepair> repair;

	Router(StringRedisTemplate redis, RoutingScripts scripts, CompanyLocks locks, ObjectProvider<RoutingRepair> repair) {
		this.redis = redis;
		this.scripts = scripts;
		this.locks = locks;
		this.repair = repair;
	}

	/** An assignment attempt: the agent, or none; and the agent whose slot the chat gave up. */
	public record Assignment(String agentId, String releasedAgentId) {

		public boolean assigned() {
			return this.agentId != null;
		}

	}

	/** A queued chat: its queue sequence and 1-based position; and the agent whose slot it gave up. */
	public record Queued(long queueSeq, int position, String releasedAgentId) {
	}

	/** What releasing a chat started to free (the agent's slot comes back after the commit). */
	public record Released(String agentId, boolean wasQueued) {
	}

	/** The outcome of assigning a queued chat: the agent, or none and how many agents are eligible at all. */
	public record FromQueue(String agentId, long eligibleAgents) {
	}

	public enum MoveResult {

		MOVED, STALE, INELIGIBLE, BALANCED

	}

	/** An agent's routing state after a sync. */
	public record AgentRouting(boolean eligible, int load) {
	}

	/**
	 * Assigns the chat to the agent of {@code pool} that {@code strategy} picks, if any is eligible;
	 * a slot the chat held is given up first.
	 */
	public Assignment assign(String companyId, String chatId, String pool, Strategy strategy) {
		List<Object> result = run(this.scripts.assign, companyId, chat(companyId, chatId), chatId, pool,
				strategy.value(), random());
		Assignment assignment = "ASSIGNED".equals(result.get(0))
				? new Assignment(str(result, 1), emptyToNull(str(result, 2)))
				: new Assignment(null, emptyToNull(str(result, 1)));
		if (assignment.releasedAgentId() != null) {
			journal().leaving.add(chat(companyId, chatId));
		}
		return assignment;
	}

	/** Appends the chat to the queue of {@code pool} (once); a slot the chat held is given up first. */
	public Queued enqueue(String companyId, String chatId, String pool) {
		List<Object> result = run(this.scripts.enqueue, companyId, chat(companyId, chatId), chatId, pool);
		Queued queued = new Queued((long) Double.parseDouble(str(result, 1)), num(result, 2),
				emptyToNull(str(result, 3)));
		if (queued.releasedAgentId() != null) {
			journal().leaving.add(chat(companyId, chatId));
		}
		return queued;
	}

	/** Assigns a queued chat to {@code agentId} (when eligible) or, with {@code null}, by the strategy. */
	public FromQueue assignFromQueue(String companyId, String chatId, String agentId, Strategy strategy) {
		List<Object> result = run(this.scripts.assignFromQueue, companyId, chat(companyId, chatId), chatId,
				agentId == null ? "" : agentId, strategy.value(), random());
		return switch (str(result, 0)) {
			case "ASSIGNED" -> new FromQueue(str(result, 1), 1);
			case "NOAGENT" -> new FromQueue(null, num(result, 1));
			default -> new FromQueue(null, -1);
		};
	}

	/**
	 * The oldest queued chat the agent may serve, if the agent is eligible, passing over
	 * {@code skip}. Reads only.
	 */
	public Optional<String> peekQueue(String companyId, String agentId, java.util.Collection<String> skip) {
		String[] args = new String[skip.size() + 1];
		args[0] = agentId;
		int i = 1;
		for (String chatId : skip) {
			args[i++] = chatId;
		}
		List<Object> result = run(this.scripts.peekQueue, companyId, null, args);
		return "CHAT".equals(result.get(0)) ? Optional.of(str(result, 1)) : Optional.empty();
	}

	/** Takes the chat out of routing: frees its slot or removes it from the queue. */
	public Released release(String companyId, String chatId) {
		List<Object> result = run(this.scripts.release, companyId, chat(companyId, chatId), chatId);
		Released released = new Released(emptyToNull(str(result, 1)), num(result, 2) == 1);
		if (released.agentId() != null) {
			journal().leaving.add(chat(companyId, chatId));
		}
		return released;
	}

	/** Moves an assigned chat to a less loaded agent while that evens out the loads. */
	public MoveResult move(String companyId, String chatId, String from, String to, String pool) {
		List<Object> result = run(this.scripts.move, companyId, chat(companyId, chatId), chatId, from, to, pool);
		MoveResult moved = MoveResult.valueOf(str(result, 0));
		if (moved == MoveResult.MOVED) {
			journal().leaving.add(chat(companyId, chatId));
		}
		return moved;
	}

	/** Writes the agent's role, status and groups; returns whether it is eligible now. */
	public AgentRouting syncAgent(Agent agent) {
		journal().agents.add(new RoutingJournal.AgentRef(agent.companyId(), agent.agentId()));
		List<Object> result = run(this.scripts.syncAgent, agent.companyId(), null, agent.agentId(),
				agent.role().name(), agent.status().name(), String.join(",", agent.groupIds()), "", "0");
		return new AgentRouting(num(result, 1) == 1, num(result, 2));
	}

	/** Writes the capacity per agent (-1 = unlimited) and re-evaluates every agent. */
	public void syncConfig(String companyId, int capacity) {
		journal().configs.add(companyId);
		run(this.scripts.syncConfig, companyId, null, Integer.toString(capacity), "0");
	}

	/**
	 * Gives back the slots of chats whose release has committed; returns the agents that are
	 * eligible again.
	 */
	List<String> finishRelease(String companyId, java.util.Collection<String> chatIds) {
		String[] args = chatIds.toArray(new String[0]);
		List<Object> result = runUnjournaled(this.scripts.finishRelease, companyId, args);
		List<String> eligibleAgain = new ArrayList<>();
		for (int i = 1; i + 1 < result.size(); i += 2) {
			if (num(result, i + 1) == 1) {
				eligibleAgain.add(str(result, i));
			}
		}
		return eligibleAgain;
	}

	/** Starts the empty routing state of a company created by the current transaction. */
	public void initCompany(String companyId, int capacity) {
		this.locks.shared(companyId);
		journal().configs.add(companyId);
		runUnjournaled(this.scripts.syncConfig, companyId, Integer.toString(capacity), "1");
		this.redis.opsForValue().setIfAbsent(RoutingKeys.loaded(companyId), "created");
	}

	/** Forces one chat's routing state; returns the agent whose slot that freed, if any. */
	String syncChat(String companyId, String chatId, String state, String agentId, Long queueSeq, String pool,
			boolean rebuilding) {
		List<Object> result = run(this.scripts.syncChat, companyId, null, chatId, state,
				agentId == null ? "" : agentId, queueSeq == null ? "" : queueSeq.toString(), pool == null ? "" : pool,
				rebuilding ? "1" : "0");
		return emptyToNull(str(result, 1));
	}

	/**
	 * Rewrites one chat's routing state from its database row ({@code null} when it is gone);
	 * call with the row locked. Returns the agent whose slot that freed, if any.
	 */
	public String resync(String companyId, String chatId, io.autoassign.chat.Chat chat) {
		return RoutingRepair.sync(this, chat, companyId, chatId, false);
	}

	/** The agents' loads as Redis holds them. */
	public java.util.Map<String, Integer> loads(String companyId) {
		java.util.Map<String, Integer> loads = new java.util.HashMap<>();
		this.redis.<String, String>opsForHash()
			.entries(RoutingKeys.load(companyId))
			.forEach((agent, load) -> loads.put(agent, Integer.parseInt(load)));
		return loads;
	}

	/** Every chat's holder according to Redis. */
	public java.util.Map<String, String> ledger(String companyId) {
		return this.redis.<String, String>opsForHash().entries(RoutingKeys.ledger(companyId));
	}

	/** Which agent holds the chat according to Redis. */
	public Optional<String> holder(String companyId, String chatId) {
		return Optional.ofNullable(this.redis.<String, String>opsForHash().get(RoutingKeys.ledger(companyId), chatId));
	}

	/** The queued chats in queue order according to Redis. */
	public List<String> queue(String companyId) {
		var members = this.redis.opsForZSet().range(RoutingKeys.queue(companyId), 0, -1);
		return members == null ? List.of() : new ArrayList<>(members);
	}

	/** How many agents are eligible in a pool right now (a read, no lock). */
	public long eligibleCount(String companyId, String pool) {
		Long count = this.redis.opsForZSet().zCard(RoutingKeys.eligible(companyId, pool));
		return count == null ? 0 : count;
	}

	/** The eligible agents of a pool according to Redis. */
	public List<String> eligible(String companyId, String pool) {
		var members = this.redis.opsForZSet().range(RoutingKeys.eligible(companyId, pool), 0, -1);
		return members == null ? List.of() : new ArrayList<>(members);
	}

	public static String pool(String groupId) {
		return groupId == null ? RoutingKeys.ALL_AGENTS : RoutingKeys.groupPool(groupId);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	List<Object> run(RedisScript<List> script, String companyId, RoutingJournal.ChatRef touched, String... args) {
		this.locks.shared(companyId);
		if (touched != null) {
			journal().chats.add(touched);
		}
		Object[] argv = new Object[args.length + 1];
		argv[0] = RoutingKeys.prefix(companyId);
		System.arraycopy(args, 0, argv, 1, args.length);
		List<Object> result = this.redis.execute(script, RoutingKeys.scriptKeys(companyId), argv);
		if (result == null || result.isEmpty()) {
			throw new IllegalStateException("Routing script returned nothing");
		}
		if ("NOTLOADED".equals(result.get(0))) {
			journal().missing.add(companyId);
			throw new RoutingStateMissing(companyId);
		}
		return result;
	}

	/** Runs a script outside the journal and the lock: for rebuilding and repairing. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	List<Object> runUnjournaled(RedisScript<List> script, String companyId, String... args) {
		Object[] argv = new Object[args.length + 1];
		argv[0] = RoutingKeys.prefix(companyId);
		System.arraycopy(args, 0, argv, 1, args.length);
		return this.redis.execute(script, RoutingKeys.scriptKeys(companyId), argv);
	}

	RoutingScripts scriptsForRepair() {
		return this.scripts;
	}

	private RoutingJournal journal() {
		return TransactionScoped.get(RoutingJournal.class, () -> new RoutingJournal(this.repair.getObject()));
	}

	private static RoutingJournal.ChatRef chat(String companyId, String chatId) {
		return new RoutingJournal.ChatRef(companyId, chatId);
	}

	private static String random() {
		return Double.toString(ThreadLocalRandom.current().nextDouble());
	}

	private static String str(List<Object> result, int index) {
		Object value = result.get(index);
		return value == null ? null : value.toString();
	}

	private static int num(List<Object> result, int index) {
		Object value = result.get(index);
		return (value instanceof Number number) ? number.intValue() : Integer.parseInt(value.toString());
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
