package io.autoassign.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.autoassign.assignment.RoutingKeys;
import io.autoassign.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code redis/rate_limit.lua} itself against a real Redis, boundary cases first. */
class RateLimitScriptTests {

	private static final RedisScript<List> SCRIPT = RedisScript.of(new ClassPathResource("redis/rate_limit.lua"),
			List.class);

	private static final long HOUR_MICROS = Duration.ofHours(1).toNanos() / 1000;

	private static JedisConnectionFactory factory;

	private static StringRedisTemplate redis;

	private String key;

	@BeforeAll
	static void connect() {
		factory = TestRedis.factory();
		redis = new StringRedisTemplate(factory);
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@BeforeEach
	void newKey() {
		this.key = RoutingKeys.rateLimit("rate-" + UUID.randomUUID());
	}

	@Test
	void aBurstOfOneAllowsOneRequestAndRefusesTheNextForOneInterval() {
		assertThat(request(HOUR_MICROS, 1)).containsExactly(1L, 0L);
		List<Long> refused = request(HOUR_MICROS, 1);
		assertThat(refused.get(0)).isZero();
		assertThat(refused.get(1)).isBetween(HOUR_MICROS - Duration.ofMinutes(1).toNanos() / 1000, HOUR_MICROS);
	}

	@Test
	void aBurstIsAllowedAtOnceRequestByRequest() {
		for (int i = 0; i < 3; i++) {
			assertThat(request(HOUR_MICROS, 3)).containsExactly(1L, 0L);
		}
		assertThat(request(HOUR_MICROS, 3).get(0)).isZero();
	}

	@Test
	void severalAreTakenAtOnceUpToWhatTheBurstLeaves() {
		assertThat(take(HOUR_MICROS, 5, 2)).containsExactly(2L, 0L);
		// 3 left: 4 wanted, 3 taken
		assertThat(take(HOUR_MICROS, 5, 4)).containsExactly(3L, 0L);
		assertThat(take(HOUR_MICROS, 5, 1).get(0)).isZero();
	}

	@Test
	void aRefusedRequestRecordsNothing() {
		request(HOUR_MICROS, 1);
		String before = redis.opsForValue().get(this.key);
		for (int i = 0; i < 5; i++) {
			assertThat(request(HOUR_MICROS, 1).get(0)).isZero();
		}
		assertThat(redis.opsForValue().get(this.key)).isEqualTo(before);
	}

	@Test
	void theTimeIsKeptExactlyAndTheKeyExpiresWhenItNoLongerMatters() {
		request(HOUR_MICROS, 2);
		String tat = redis.opsForValue().get(this.key);
		// microseconds as a whole number, not a float's exponent form
		assertThat(tat).matches("\\d{16,}");
		Long ttl = redis.getExpire(this.key);
		assertThat(ttl).isBetween(Duration.ofMinutes(59).toSeconds(), Duration.ofHours(1).toSeconds());
	}

	@Test
	void theRateRefillsWithTime() {
		long interval = Duration.ofMillis(200).toNanos() / 1000;
		assertThat(request(interval, 1).get(0)).isEqualTo(1L);
		assertThat(request(interval, 1).get(0)).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> request(interval, 1).get(0) == 1L);
	}

	private List<Long> request(long intervalMicros, int burst) {
		return take(intervalMicros, burst, 1);
	}

	@SuppressWarnings("unchecked")
	private List<Long> take(long intervalMicros, int burst, int count) {
		return redis.execute(SCRIPT, List.of(this.key), Long.toString(intervalMicros), Integer.toString(burst),
				Integer.toString(count));
	}

}
