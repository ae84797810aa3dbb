package io.autoassign.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.assignment.RoutingKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Counts each company's requests against its limit, in Redis so that every node counts the same
 * requests ({@code redis/rate_limit.lua}).
 * <ul>
 * <li><b>Leases.</b> A node whose requests of a company come fast takes several of the company's
 * requests from Redis at once and spends them for up to {@link #LEASE} without asking again: as
 * many as it served in the last such time, at most the limit's share of that time. Below the
 * limit a request thus rarely costs a round trip to Redis (one per lease), and what a lease
 * leaves unspent is at most about {@link #LEASE} of the limit per node. A request that would
 * overrun the limit still finds none to take and is refused.</li>
 * <li>A company refused is refused on this node without asking Redis again until the wait it was
 * told is over: a client that floods the service after its 429 costs Redis nothing.</li>
 * <li>It fails open, as Spring Cloud Gateway's limiter does: when Redis does not answer, requests
 * are allowed (and counted as unchecked), and Redis is not asked again for a second, so that an
 * outage of Redis does not make every request wait for its timeout here too. Whatever needs
 * Redis in the request itself answers for itself.</li>
 * </ul>
 */
@Component
class RateLimits {

	private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

	private static final RedisScript<List> SCRIPT = RedisScript.of(new ClassPathResource("redis/rate_limit.lua"),
			List.class);

	/** How long a node spends requests taken at once before it asks Redis again. */
	static final Duration LEASE = Duration.ofMillis(50);

	/** How long requests go unchecked after Redis failed to answer. */
	static final Duration UNCHECKED_AFTER_FAILURE = Duration.ofSeconds(1);

	/** Companies remembered at most (beyond, the memory is cleared: Redis still counts). */
	private static final int MAX_COMPANIES = 100_000;

	private final RateLimitProperties properties;

	private final StringRedisTemplate redis;

	private final Counter refused;

	private final Counter unchecked;

	private final Map<String, Company> companies = new ConcurrentHashMap<>();

	private volatile long uncheckedUntil = System.nanoTime();

	RateLimits(RateLimitProperties properties, StringRedisTemplate redis, MeterRegistry meters) {
		this.properties = properties;
		this.redis = redis;
		this.refused = Counter.builder("autoassign.rate.limit.refused")
			.description("REST requests refused with 429: their company was over its rate limit")
			.register(meters);
		this.unchecked = Counter.builder("autoassign.rate.limit.unchecked")
			.description("REST requests allowed without counting them: Redis did not answer the rate limit")
			.register(meters);
	}

	/** What the limit says about one request. */
	record Decision(boolean allowed, RateLimitProperties.Limit limit, Duration retryAfter) {

		static final Decision UNLIMITED = new Decision(true, null, Duration.ZERO);

	}

	/** Requests of one company taken from Redis at once, spent on this node until it expires. */
	private record Lease(int size, AtomicInteger left, long started, long expires) {

		boolean spend(long now) {
			return now - this.expires < 0 && this.left.getAndDecrement() > 0;
		}

		/** How many requests a lease taken now should hold, from how fast this one was spent. */
		int next(long now, int most) {
			int used = this.size - Math.max(0, this.left.get());
			long elapsed = Math.max(1, now - this.started);
			double perLease = (double) used * LEASE.toNanos() / elapsed;
			return (int) Math.max(1, Math.min(most, Math.ceil(perLease)));
		}

	}

	/** One company on this node: its lease, and until when it is refused (System.nanoTime). */
	private static final class Company {

		volatile Lease lease;

		volatile long refusedUntil;

		volatile boolean refused;

	}

	/** Counts one request of the company; answers whether it may go on. */
	Decision check(String companyId) {
		if (!this.properties.enabled()) {
			return Decision.UNLIMITED;
		}
		RateLimitProperties.Limit limit = this.properties.limitOf(companyId);
		if (limit.unlimited()) {
			return Decision.UNLIMITED;
		}
		Company company = company(companyId);
		long start = System.nanoTime();
		Lease lease = company.lease;
		if (lease != null && lease.spend(start)) {
			return new Decision(true, limit, Duration.ZERO);
		}
		if (company.refused && company.refusedUntil - start > 0) {
			return refuse(limit, Duration.ofNanos(company.refusedUntil - start));
		}
		// One thread at a time asks Redis for the company; the others then spend what it took.
		synchronized (company) {
			long now = System.nanoTime();
			lease = company.lease;
			if (lease != null && lease.spend(now)) {
				return new Decision(true, limit, Duration.ZERO);
			}
			if (company.refused && company.refusedUntil - now > 0) {
				return refuse(limit, Duration.ofNanos(company.refusedUntil - now));
			}
			company.refused = false;
			if (this.uncheckedUntil - now > 0) {
				this.unchecked.increment();
				return new Decision(true, limit, Duration.ZERO);
			}
			// at most the limit's share of a lease: what is left unspent is never more than that
			int most = (int) Math.max(1, Math.min(limit.burst(), LEASE.toNanos() / 1000 / limit.intervalMicros()));
			int wanted = lease == null ? 1 : lease.next(now, most);
			List<?> answer;
			try {
				answer = this.redis.execute(SCRIPT, List.of(RoutingKeys.rateLimit(companyId)),
						Long.toString(limit.intervalMicros()), Integer.toString(limit.burst()), Integer.toString(wanted));
			}
			catch (RuntimeException ex) {
				this.uncheckedUntil = System.nanoTime() + UNCHECKED_AFTER_FAILURE.toNanos();
				this.unchecked.increment();
				log.warn("Could not count a request against the rate limit (allowing requests unchecked for {}): {}",
						UNCHECKED_AFTER_FAILURE, ex.toString());
				return new Decision(true, limit, Duration.ZERO);
			}
			int taken = ((Number) answer.get(0)).intValue();
			if (taken > 0) {
				// this request spends one of them
				company.lease = new Lease(taken, new AtomicInteger(taken - 1), now, now + LEASE.toNanos());
				return new Decision(true, limit, Duration.ZERO);
			}
			Duration wait = Duration.ofNanos(((Number) answer.get(1)).longValue() * 1000);
			company.refused = true;
			company.refusedUntil = now + wait.toNanos();
			return refuse(limit, wait);
		}
	}

	/** Forgets what this node remembers of the company (tests start afresh with it). */
	void forget(String companyId) {
		this.companies.remove(companyId);
	}

	private Company company(String companyId) {
		Company company = this.companies.get(companyId);
		if (company != null) {
			return company;
		}
		if (this.companies.size() >= MAX_COMPANIES) {
			this.companies.clear();
		}
		return this.companies.computeIfAbsent(companyId, (id) -> new Company());
	}

	private Decision refuse(RateLimitProperties.Limit limit, Duration wait) {
		this.refused.increment();
		return new Decision(false, limit, wait);
	}

}
