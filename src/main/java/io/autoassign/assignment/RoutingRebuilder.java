package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Builds a company's routing state in Redis from the database, the source of truth: at start,
 * when Redis comes back empty (the epoch key is gone), and when an operation finds a company's
 * state missing. The company's lock is held exclusively meanwhile, so no assignment that has
 * reserved capacity but not committed yet can be lost from the rebuilt state.
 * <p>
 * The watchdog also rebuilds the companies whose Redis state may have drifted because a repair
 * could not run ({@link #rebuildLater}): e.g. the database went away while a transaction that
 * had reserved capacity in Redis rolled back, so its repair could not read the truth. It keeps
 * trying until the rebuild succeeds.
 */
@Component
public class RoutingRebuilder {

	private static final Logger log = LoggerFactory.getLogger(RoutingRebuilder.class);

	private static final String REBUILD_LOCK = "aa:routing-rebuild";

	private final Router router;

	private final StringRedisTemplate redis;

	private final ChatStore chats;

	private final AgentService agents;

	private final SettingsService settings;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final ObjectProvider<RoutingListener> listener;

	private final boolean rebuildOnStart;

	/** Companies to rebuild on the watchdog's next round (see {@link #rebuildLater}). */
	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	RoutingRebuilder(Router router, StringRedisTemplate redis, ChatStore chats, AgentService agents,
			SettingsService settings, CompanyLocks locks, Transactions transactions,
			ObjectProvider<RoutingListener> listener, AutoAssignProperties properties) {
		this.router = router;
		this.redis = redis;
		this.chats = chats;
		this.agents = agents;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.listener = listener;
		this.rebuildOnStart = properties.rebuildRoutingOnStart();
	}

	/** Rebuilds one company's routing state in a transaction of its own. */
	public void rebuild(String companyId) {
		this.transactions.retryingInNewTransaction(() -> {
			this.locks.exclusive(companyId);
			RoutingScripts scripts = this.router.scriptsForRepair();
			this.router.runUnjournaled(scripts.reset, companyId);
			this.router.runUnjournaled(scripts.syncConfig, companyId,
					Integer.toString(this.settings.get(companyId).capacity()), "1");
			Map<String, Instant> lastAssigned = this.chats.lastAssignedAt(companyId);
			for (Agent agent : this.agents.agents(companyId)) {
				Instant last = lastAssigned.get(agent.agentId());
				String micros = last == null ? "0" : Long.toString(last.getEpochSecond() * 1_000_000L + last.getNano() / 1000);
				this.router.runUnjournaled(scripts.syncAgent, companyId, agent.agentId(), agent.role().name(),
						agent.status().name(), String.join(",", agent.groupIds()), micros, "1");
			}
			int routed = 0;
			for (Chat chat : this.chats.routed(companyId)) {
				RoutingRepair.sync(this.router, chat, companyId, chat.chatId(), true);
				routed++;
			}
			this.redis.opsForValue().set(RoutingKeys.loaded(companyId), Instant.now().toString());
			this.listener.ifAvailable((l) -> l.rebuilt(companyId));
			log.info("Rebuilt the routing state of company {} ({} routed chats)", companyId, routed);
			return null;
		});
	}

	/**
	 * Rebuilds the routing state of every company, or with {@code onlyMissing} of every company
	 * whose state Redis does not hold, then marks Redis as built.
	 */
	public void rebuildAll(boolean onlyMissing) {
		for (String companyId : this.settings.companyIds()) {
			if (!onlyMissing || !Boolean.TRUE.equals(this.redis.hasKey(RoutingKeys.loaded(companyId)))) {
				rebuild(companyId);
			}
		}
		this.redis.opsForValue().set(RoutingKeys.EPOCH, Instant.now().toString());
	}

	/**
	 * Marks a company whose Redis state may no longer match the database because a repair
	 * failed (Redis or the database was unreachable); the watchdog rebuilds it.
	 */
	void rebuildLater(String companyId) {
		if (this.pending.add(companyId)) {
			log.warn("The routing state of company {} may have drifted; the watchdog rebuilds it", companyId);
		}
	}

	private void rebuildPending() {
		for (String companyId : List.copyOf(this.pending)) {
			// Removed first: a mark added while the rebuild runs stays for the next round.
			if (!this.pending.remove(companyId)) {
				continue;
			}
			try {
				rebuild(companyId);
			}
			catch (RuntimeException ex) {
				this.pending.add(companyId);
				log.warn("Could not rebuild the routing state of company {} yet; retrying: {}", companyId, ex.toString());
				return;
			}
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	void rebuildAtStart() {
		if (this.rebuildOnStart) {
			try {
				rebuildAll(false);
			}
			catch (RuntimeException ex) {
				log.warn("Could not rebuild the routing state at start; the watchdog retries: {}", ex.toString());
			}
		}
	}

	/** Notices a Redis that came back empty and rebuilds every company from the database. */
	@Scheduled(fixedDelayString = "${auto-assign.routing-watchdog-interval:5s}", initialDelayString = "5s")
	void watchdog() {
		rebuildPending();
		try {
			if (Boolean.TRUE.equals(this.redis.hasKey(RoutingKeys.EPOCH))) {
				return;
			}
			String node = UUID.randomUUID().toString();
			// One node of a cluster rebuilds; the others see the epoch again soon after.
			if (Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(REBUILD_LOCK, node, Duration.ofMinutes(5)))) {
				try {
					log.warn("Redis lost the routing state; rebuilding the companies it lacks from the database");
					// Companies rebuilt on demand or created since already have their state.
					rebuildAll(true);
				}
				finally {
					this.redis.delete(REBUILD_LOCK);
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Routing watchdog: {}", ex.toString());
		}
	}

}
