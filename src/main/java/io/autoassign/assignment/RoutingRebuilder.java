package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.Transactions;
import io.autoassign.settings.CompanyLocks;
import io.autoassign.settings.SettingsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Builds a company's routing state in Redis from the database, the source of truth: at start,
 * when Redis comes back empty (the epoch key is gone), and when an operation finds a company's
 * state missing. The company's lock is held exclusively meanwhile, so no assignment that has
 * reserved capacity but not committed yet can be lost from the rebuilt state. After an outage
 * every transaction in flight finds the state missing; the first to get the lock rebuilds, the
 * others find it built and leave it (one rebuild per company per outage). A rebuild reads only
 * the routing columns of the open chats and the agents' last-assignment times, never the
 * company's history.
 * <p>
 * The watchdog also retries what could not be done when it was due: a rebuild of a company
 * whose Redis state may have drifted because a repair could not run (e.g. the database went away
 * while a transaction that had reserved capacity in Redis rolled back), and a dispatch of a
 * company's queue that failed (e.g. the connection pool was exhausted). It keeps trying until
 * each succeeds.
 * <p>
 * On a Redis Cluster one master may lose its keys (a restart without persistence or replica)
 * while the others, and the epoch key on one of them, keep theirs: there the watchdog looks at
 * every company's own {@code loaded} marker each round instead of the one epoch key, and
 * rebuilds each company whose marker is gone.
 */
@Component
class RoutingRebuilder {

	private static final Logger log = LoggerFactory.getLogger(RoutingRebuilder.class);

	private final RoutingScripts scripts;

	private final RoutingRows rows;

	private final StringRedisTemplate redis;

	private final AgentService agents;

	private final SettingsService settings;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final RoutingMetrics metrics;

	private final ApplicationEventPublisher events;

	private final boolean rebuildOnStart;

	/** Companies to rebuild on the watchdog's next round (see {@link #rebuildLater}). */
	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	/** Companies whose queue to dispatch on the watchdog's next round (see {@link #dispatchLater}). */
	private final Set<String> pendingDispatch = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> rebuilds = new ConcurrentHashMap<>();

	private final PausePoints pauses;

	/** Redis is a cluster: a loss may take some companies' state and leave the epoch key. */
	private final boolean cluster;

	RoutingRebuilder(RoutingScripts scripts, RoutingRows rows, StringRedisTemplate redis, AgentService agents,
			SettingsService settings, CompanyLocks locks, Transactions transactions,
			ApplicationEventPublisher events, AutoAssignProperties properties, PausePoints pauses,
			RoutingMetrics metrics) {
		this.cluster = isCluster(redis.getConnectionFactory());
		this.metrics = metrics;
		this.pauses = pauses;
		this.scripts = scripts;
		this.rows = rows;
		this.redis = redis;
		this.agents = agents;
		this.settings = settings;
		this.locks = locks;
		this.transactions = transactions;
		this.events = events;
		this.rebuildOnStart = properties.rebuildRoutingOnStart();
	}

	/** Rebuilds one company's routing state in a transaction of its own. */
	public void rebuild(String companyId) {
		rebuild(companyId, false);
	}

	/**
	 * Rebuilds one company's routing state unless, once its lock is held, it is there (another
	 * transaction rebuilt it meanwhile). Answers whether it rebuilt.
	 */
	boolean rebuildIfMissing(String companyId) {
		return rebuild(companyId, true);
	}

	/** How many times this node rebuilt the company's state (for tests and operators). */
	int rebuildCount(String companyId) {
		AtomicInteger count = this.rebuilds.get(companyId);
		return count == null ? 0 : count.get();
	}

	private boolean rebuild(String companyId, boolean onlyIfMissing) {
		this.pauses.reached(PausePoints.Point.BEFORE_REBUILD, companyId, null);
		return this.transactions.retryingInNewTransaction(() -> {
			this.locks.exclusive(companyId);
			if (onlyIfMissing && this.scripts.isLoaded(companyId)) {
				return false;
			}
			this.scripts.reset(companyId);
			this.scripts.syncConfig(companyId, this.settings.get(companyId).capacity(), true);
			Map<String, Instant> lastAssigned = this.rows.lastAssigned(companyId);
			for (Agent agent : this.agents.agents(companyId)) {
				Instant last = lastAssigned.get(agent.agentId());
				String micros = last == null ? "0" : Long.toString(last.getEpochSecond() * 1_000_000L + last.getNano() / 1000);
				this.scripts.syncAgent(companyId, agent.agentId(), agent.role().name(), agent.status().name(),
						String.join(",", agent.groupIds()), micros, true);
			}
			int routed = 0;
			for (RoutingRows.Routed chat : this.rows.routed(companyId)) {
				this.scripts.syncChat(companyId, chat.chatId(), RoutingScripts.Committed.of(chat), true);
				routed++;
			}
			this.scripts.markLoaded(companyId, Instant.now().toString(), false);
			this.rebuilds.computeIfAbsent(companyId, (c) -> new AtomicInteger()).incrementAndGet();
			this.metrics.rebuilt();
			this.events.publishEvent(new RoutingRebuilt(companyId));
			log.info("Rebuilt the routing state of company {} ({} routed chats)", companyId, routed);
			return true;
		});
	}

	/**
	 * Rebuilds the routing state of every company, or with {@code onlyMissing} of every company
	 * whose state Redis does not hold.
	 * <p>
	 * Redis is marked as built <em>before</em> the companies are: should it empty again while
	 * they are rebuilt, the mark goes with it and the watchdog's next round rebuilds again (the
	 * companies rebuilt before that loss are gone too). Marked at the end, the mark would outlive
	 * the loss and those companies would wait for an operation. A round that fails takes its
	 * mark back, so that the next round runs again.
	 */
	public void rebuildAll(boolean onlyMissing) {
		this.redis.opsForValue().set(RoutingKeys.EPOCH, Instant.now().toString());
		try {
			for (String companyId : this.settings.companyIds()) {
				if (onlyMissing) {
					rebuildIfMissing(companyId);
				}
				else {
					rebuild(companyId);
				}
			}
		}
		catch (RuntimeException ex) {
			try {
				this.redis.delete(RoutingKeys.EPOCH);
			}
			catch (RuntimeException unreachable) {
				// Redis is gone again: its epoch with it
				ex.addSuppressed(unreachable);
			}
			throw ex;
		}
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

	/** Marks a company whose queue could not be dispatched; the watchdog dispatches it. */
	void dispatchLater(String companyId) {
		this.pendingDispatch.add(companyId);
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

	private void dispatchPending() {
		for (String companyId : List.copyOf(this.pendingDispatch)) {
			if (!this.pendingDispatch.remove(companyId)) {
				continue;
			}
			try {
				this.events.publishEvent(new DispatchNeeded(companyId));
			}
			catch (RuntimeException ex) {
				this.pendingDispatch.add(companyId);
				log.warn("Could not dispatch the queue of company {} yet; retrying: {}", companyId, ex.toString());
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
		dispatchPending();
		try {
			if (!this.cluster && Boolean.TRUE.equals(this.redis.hasKey(RoutingKeys.EPOCH))) {
				return;
			}
			String node = UUID.randomUUID().toString();
			// One node of a cluster looks and rebuilds; the others see the epoch again soon after.
			if (Boolean.TRUE.equals(
					this.redis.opsForValue().setIfAbsent(RoutingKeys.REBUILD_LOCK, node, Duration.ofMinutes(5)))) {
				try {
					if (this.cluster) {
						rebuildLostCompanies();
					}
					else {
						log.warn("Redis lost the routing state; rebuilding the companies it lacks from the database");
						// Companies rebuilt on demand or created since already have their state.
						rebuildAll(true);
					}
				}
				finally {
					this.redis.delete(RoutingKeys.REBUILD_LOCK);
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Routing watchdog: {}", ex.toString());
		}
	}

	/**
	 * Rebuilds every company whose {@code loaded} marker Redis lacks (one EXISTS per company on
	 * the master of its slot; the company's lock is taken only for those).
	 */
	private void rebuildLostCompanies() {
		for (String companyId : this.settings.companyIds()) {
			if (!this.scripts.isLoaded(companyId) && rebuildIfMissing(companyId)) {
				log.warn("Redis lost the routing state of company {}; rebuilt it from the database", companyId);
			}
		}
	}

	static boolean isCluster(RedisConnectionFactory factory) {
		return factory instanceof JedisConnectionFactory jedis && jedis.isRedisClusterAware();
	}

}
