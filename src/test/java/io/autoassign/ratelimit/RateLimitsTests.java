package io.autoassign.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.assignment.RoutingKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RateLimits} on a real Redis, and on a Redis that does not answer. */
class RateLimitsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void aCompanyRefusedIsRefusedOnThisNodeWithoutAskingRedisUntilItsWaitIsOver() {
		String company = "rate-" + UUID.randomUUID();
		JedisConnectionFactory factory = factory(URI.create(
				System.getenv().getOrDefault("AUTO_ASSIGN_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")));
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			RateLimits limits = new RateLimits(properties(company, new RateLimitProperties.Limit(1, Duration.ofHours(1), 1)),
					redis, this.meters);

			assertThat(limits.check(company).allowed()).isTrue();
			RateLimits.Decision refused = limits.check(company);
			assertThat(refused.allowed()).isFalse();
			assertThat(refused.retryAfter()).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
			// Redis forgets the company: this node still refuses it, without asking
			redis.delete(RoutingKeys.rateLimit(company));
			assertThat(limits.check(company).allowed()).isFalse();
			assertThat(redis.hasKey(RoutingKeys.rateLimit(company))).isFalse();
			assertThat(this.meters.counter("autoassign.rate.limit.refused").count()).isEqualTo(2);
			// until forgotten here too
			limits.forget(company);
			assertThat(limits.check(company).allowed()).isTrue();
		}
		finally {
			factory.destroy();
		}
	}

	/**
	 * Requests that come fast are taken from Redis several at a time (a lease): far fewer round
	 * trips than requests, and still never more requests than the limit lets through in the time
	 * they took, across two nodes.
	 */
	@Test
	void fastRequestsTakeSeveralAtOnceAndTheLimitHoldsAcrossNodes() {
		String company = "rate-" + UUID.randomUUID();
		JedisConnectionFactory factory = factory(URI.create(
				System.getenv().getOrDefault("AUTO_ASSIGN_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")));
		try {
			AtomicInteger calls = new AtomicInteger();
			StringRedisTemplate counting = new StringRedisTemplate(factory) {
				@Override
				public <T> T execute(RedisScript<T> script, List<String> keys, Object... args) {
					calls.incrementAndGet();
					return super.execute(script, keys, args);
				}
			};
			RateLimitProperties properties = properties(company,
					new RateLimitProperties.Limit(1000, Duration.ofSeconds(1), 200));
			RateLimits a = new RateLimits(properties, counting, this.meters);
			RateLimits b = new RateLimits(properties, counting, this.meters);

			long started = System.nanoTime();
			for (int i = 0; i < 150; i++) {
				assertThat(a.check(company).allowed()).isTrue();
			}
			assertThat(calls.get()).isLessThan(15);

			int allowed = 150;
			boolean refused = false;
			for (int i = 0; i < 100_000 && !refused; i++) {
				RateLimits node = i % 2 == 0 ? a : b;
				if (node.check(company).allowed()) {
					allowed++;
				}
				else {
					refused = true;
				}
			}
			long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
			assertThat(refused).isTrue();
			// the burst, and one request per millisecond since (rounded up)
			assertThat(allowed).isLessThanOrEqualTo(200 + (int) elapsedMillis + 1);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void whenRedisDoesNotAnswerRequestsAreAllowedUncheckedAndRedisIsLeftAloneForASecond() {
		// nothing listens on port 1
		JedisConnectionFactory factory = factory(URI.create("redis://127.0.0.1:1"));
		try {
			RateLimits limits = new RateLimits(properties("x", new RateLimitProperties.Limit(1, Duration.ofHours(1), 1)),
					new StringRedisTemplate(factory), this.meters);

			for (int i = 0; i < 5; i++) {
				assertThat(limits.check("x").allowed()).isTrue();
			}
			assertThat(this.meters.counter("autoassign.rate.limit.unchecked").count()).isEqualTo(5);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void aDisabledLimitOrAnUnlimitedCompanyIsNeverCounted() {
		JedisConnectionFactory factory = factory(URI.create("redis://127.0.0.1:1"));
		try {
			RateLimitProperties disabled = new RateLimitProperties(false, 1, Duration.ofHours(1), 1, Map.of());
			RateLimits off = new RateLimits(disabled, new StringRedisTemplate(factory), this.meters);
			RateLimits unlimited = new RateLimits(properties("x", new RateLimitProperties.Limit(0, null, null)),
					new StringRedisTemplate(factory), this.meters);

			assertThat(off.check("x").allowed()).isTrue();
			assertThat(unlimited.check("x").allowed()).isTrue();
			// (Redis was not asked: it would have failed, and the request counted as unchecked)
			assertThat(this.meters.counter("autoassign.rate.limit.unchecked").count()).isZero();
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void aCompanysOwnLimitFallsBackToOneSecondAndTwiceItsRequests() {
		RateLimitProperties.Limit limit = new RateLimitProperties.Limit(250, null, null);
		assertThat(limit.describe()).isEqualTo("250 requests per 1 s, bursts of 500");
		assertThat(limit.intervalMicros()).isEqualTo(4000);
		assertThat(new RateLimitProperties.Limit(3, Duration.ofMillis(1500), 1).describe())
			.isEqualTo("3 requests per 1500 ms, bursts of 1");
	}

	private static RateLimitProperties properties(String company, RateLimitProperties.Limit limit) {
		return new RateLimitProperties(true, 1000, Duration.ofSeconds(1), 2000, Map.of(company, limit));
	}

	private static JedisConnectionFactory factory(URI uri) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		String path = uri.getPath();
		configuration.setDatabase(path == null || path.length() < 2 ? 0 : Integer.parseInt(path.substring(1)));
		JedisConnectionFactory factory = new JedisConnectionFactory(configuration,
				JedisClientConfiguration.builder().connectTimeout(Duration.ofSeconds(1)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
