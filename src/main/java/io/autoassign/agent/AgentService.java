package io.autoassign.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.autoassign.domain.InvalidInputException;
import io.autoassign.domain.NotFoundException;
import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.platform.Transactions;
import io.autoassign.security.Role;
import io.autoassign.security.TokenClaims;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Creates and changes agents, and mints their tokens. What a change means for routing (Redis
 * state, offline grace, queue draining, re-balancing) is left to the listeners of
 * {@link AgentChanged}, which run in the same transaction.
 */
@Service
public class AgentService {

	private final AgentRepository repository;

	private final SettingsService settings;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final ApplicationEventPublisher events;

	private final TokenService tokens;

	private final Duration maxTokenTtl;

	private final Clock clock;

	AgentService(AgentRepository repository, SettingsService settings, CompanyLocks locks, Transactions transactions,
			ApplicationEventPublisher events, TokenService tokens, AutoAssignProperties properties, Clock clock) {
		this.repository = repository;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.events = events;
		this.tokens = tokens;
		this.maxTokenTtl = properties.tokenTtl();
		this.clock = clock;
	}

	/** Result of an upsert: the agent view and whether the agent was created. */
	public record Upserted(AgentView agent, boolean created) {
	}

	public Upserted upsert(String companyId, String agentId, String name, Role role, List<String> groupIds) {
		List<String> groups = new ArrayList<>(new LinkedHashSet<>(groupIds == null ? List.of() : groupIds));
		return this.transactions.retrying(() -> {
			// Exclusively: a change of role or groups must not interleave with an assignment that
			// reserved this agent in Redis but has not committed (see setStatus).
			this.locks.exclusive(companyId);
			this.settings.ensureCompany(companyId);
			Instant now = this.clock.instant();
			Optional<Agent> before = this.repository.findForUpdate(companyId, agentId);
			Agent after;
			if (before.isEmpty()) {
				// An agent whose status has never been set is OFFLINE.
				after = new Agent(companyId, agentId, name, role, groups, AgentStatus.OFFLINE, now, null);
				this.repository.insert(after, now);
			}
			else {
				Agent was = before.get();
				after = new Agent(companyId, agentId, name, role, groups, was.status(), was.statusChangedAt(),
						was.offlineProcessId());
				this.repository.updateProfile(after, now);
			}
			this.events.publishEvent(new AgentChanged(before.orElse(null), after));
			return new Upserted(AgentView.of(after, this.repository.activeChats(companyId, agentId)), before.isEmpty());
		});
	}

	public AgentView setStatus(String companyId, String agentId, AgentStatus status) {
		return this.transactions.retrying(() -> {
			this.locks.shared(companyId);
			Agent before = this.repository.findForUpdate(companyId, agentId)
				.orElseThrow(() -> NotFoundException.agent(companyId, agentId));
			Agent after = before;
			if (before.status() != status) {
				Instant now = this.clock.instant();
				this.repository.updateStatus(companyId, agentId, status, now);
				after = new Agent(companyId, agentId, before.name(), before.role(), before.groupIds(), status, now,
						before.offlineProcessId());
				this.events.publishEvent(new AgentChanged(before, after));
			}
			return AgentView.of(after, this.repository.activeChats(companyId, agentId));
		});
	}

	/**
	 * Deletes the agent: in the same transaction its ASSIGNED chats are routed again (as after an
	 * offline grace period), and afterwards its sessions are closed; its tokens stop working at
	 * once (they are checked against the agent's row).
	 */
	public void delete(String companyId, String agentId) {
		this.transactions.retrying(() -> {
			// Exclusively, as for a change of role: an assignment that reserved this agent in Redis
			// commits first and is among the chats routed again.
			this.locks.exclusive(companyId);
			Agent agent = this.repository.findForUpdate(companyId, agentId)
				.orElseThrow(() -> NotFoundException.agent(companyId, agentId));
			this.events.publishEvent(new AgentDeleted(agent));
			this.repository.delete(companyId, agentId);
		});
	}

	public AgentView get(String companyId, String agentId) {
		Agent agent = find(companyId, agentId).orElseThrow(() -> NotFoundException.agent(companyId, agentId));
		return AgentView.of(agent, this.repository.activeChats(companyId, agentId));
	}

	public List<AgentView> list(String companyId) {
		if (!this.settings.exists(companyId)) {
			throw NotFoundException.company(companyId);
		}
		Map<String, Integer> active = this.repository.activeChats(companyId);
		return this.repository.list(companyId)
			.stream()
			.map((agent) -> AgentView.of(agent, active.getOrDefault(agent.agentId(), 0)))
			.toList();
	}

	public Optional<Agent> find(String companyId, String agentId) {
		return this.repository.find(companyId, agentId);
	}

	/** The agent, locked until the current transaction ends. */
	public Optional<Agent> lock(String companyId, String agentId) {
		return this.repository.findForUpdate(companyId, agentId);
	}

	public List<Agent> agents(String companyId) {
		return this.repository.list(companyId);
	}

	/** The current role of each of these agents that exists (an agent missing from the map does not). */
	public Map<String, Role> roles(String companyId, List<String> agentIds) {
		return agentIds.isEmpty() ? Map.of() : this.repository.roles(companyId, agentIds);
	}

	public List<String> adminIds(String companyId) {
		return this.repository.idsWithRole(companyId, Role.ADMIN);
	}

	/** Records the offline-grace process of an agent (or clears it with {@code null}). */
	public void recordOfflineProcess(String companyId, String agentId, String processInstanceId) {
		this.repository.updateOfflineProcess(companyId, agentId, processInstanceId);
	}

	/**
	 * Mints a token for the agent in its current role, valid for {@code ttl} (the configured
	 * token lifetime when {@code null}); a longer {@code ttl} than that cap is refused, never cut
	 * short behind the caller's back.
	 */
	public IssuedToken issueToken(String companyId, String agentId, Duration ttl) {
		if (ttl != null && ttl.compareTo(this.maxTokenTtl) > 0) {
			throw new InvalidInputException("ttlMinutes", "must be at most " + this.maxTokenTtl.toMinutes()
					+ " (the token lifetime cap, AUTO_ASSIGN_TOKEN_TTL)");
		}
		Agent agent = find(companyId, agentId).orElseThrow(() -> NotFoundException.agent(companyId, agentId));
		Duration lifetime = ttl == null ? this.maxTokenTtl : ttl;
		return this.tokens.issue(new TokenClaims(companyId, agentId, agent.role(), this.clock.instant().plus(lifetime)));
	}

}
