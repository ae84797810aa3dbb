package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.autoassign.chat.Priority;
import io.autoassign.chat.QueueDrainHistory;
import io.autoassign.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The drain history behind the estimated wait, on a real Redis: a departure measures the time
 * since the pool's previous one or since the departing chat was queued, whichever is later (a
 * queue that stood empty does not count as slow service); only the last 30 minutes count; fewer
 * than 3 departures say nothing; an out-of-order record (another node, later) is not a sample.
 */
class QueueDrainTests {

	static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

	private static JedisConnectionFactory factory;

	private static StringRedisTemplate redis;

	private QueueDrain drain;

	private String company;

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
	void newCompany() {
		this.company = "drain-" + UUID.randomUUID();
		this.drain = new QueueDrain(redis);
	}

	@Test
	void aDepartureCountsTheTimeSinceThePreviousOneOrSinceTheChatWasQueuedWhicheverIsLater() {
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(30));
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(50));
		assertThat(means(at(50))).isEmpty();

		// the queue stood empty from 50 s to 600 s: the chat queued at 600 s waited 40 s, not 590
		this.drain.departed(this.company, "*", Priority.NORMAL, at(600), at(640));
		assertThat(means(at(640))).containsOnlyKeys("*");
		assertThat(means(at(640)).get("*")).isCloseTo((30 + 20 + 40) / 3.0, within(0.001));
		// another pool has its own history
		assertThat(this.drain.recentDrains(this.company, List.of("g:vip"), at(640))).isEmpty();
	}

	@Test
	void onlyTheLast30MinutesCountAndAnOutOfOrderRecordIsNoSample() {
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(10));
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(20));
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(30));
		// another node records a departure it made at 25 s after this one at 30 s
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(25));
		assertThat(means(at(30)).get("*")).isCloseTo(10.0, within(0.001));

		assertThat(means(at(30).plus(Duration.ofMinutes(30)).minusSeconds(20))).containsOnlyKeys("*");
		// 30 minutes after the second departure, two are left: too thin
		assertThat(means(at(20).plus(Duration.ofMinutes(30)).plusSeconds(1))).isEmpty();
	}

	@Test
	void eachDepartureRecordsThePriorityOfTheChatThatLeft() {
		this.drain.departed(this.company, "*", Priority.URGENT, T0, at(10));
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(20));
		this.drain.departed(this.company, "*", Priority.HIGH, T0, at(30));
		this.drain.departed(this.company, "*", Priority.NORMAL, T0, at(40));
		QueueDrainHistory.Drain drain = this.drain.recentDrains(this.company, List.of("*"), at(40)).get("*");
		assertThat(drain.departures()).isEqualTo(4);
		assertThat(drain.byPriority()).containsExactly(0, 2, 1, 1);
		assertThat(drain.shareAbove(Priority.NORMAL)).isEqualTo(0.5);
		assertThat(drain.shareAbove(Priority.URGENT)).isZero();
	}

	@Test
	void aDepartureAtTheMomentTheChatWasQueuedIsNoSample() {
		for (int i = 1; i <= 3; i++) {
			this.drain.departed(this.company, "*", Priority.NORMAL, at(i * 10), at(i * 10));
		}
		assertThat(means(at(30))).isEmpty();
	}

	private Map<String, Double> means(Instant now) {
		Map<String, Double> means = new java.util.HashMap<>();
		this.drain.recentDrains(this.company, List.of("*"), now)
			.forEach((pool, drain) -> means.put(pool, drain.meanSeconds()));
		return means;
	}

	private static Instant at(int seconds) {
		return T0.plusSeconds(seconds);
	}

}
