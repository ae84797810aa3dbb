package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.chat.QueueDrainHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Each pool's recent departures from its queue, for the estimated wait: when a queued chat goes to
 * an agent, the time since the pool's previous departure, or since this chat was queued if that
 * is later (the queue was not empty in between: this chat waited in it). So a pool's samples
 * measure how fast it serves while chats wait, not how long its queue stood empty.
 * <p>
 * Per pool, one Redis list of the last {@link #SAMPLES} departures ({@code <at millis>:<interval
 * millis>}) and the time of the last one, in the company's cluster slot, outside the routing
 * state; written after the commit that assigned the chat, in one script (two nodes never measure
 * the same interval twice). A Redis that is down or emptied only loses history: the estimates
 * are {@code null} until it has grown again.
 * <p>
 * The rule ({@link #meanIntervals}): the samples of the last {@link #WINDOW}; at least
 * {@link #MIN_SAMPLES} of them, or the pool's estimate is {@code null}; the estimate uses their
 * mean.
 */
@Component
class QueueDrain implements QueueDrainHistory {

	private static final Logger log = LoggerFactory.getLogger(QueueDrain.class);

	/** Departures kept per pool. */
	static final int SAMPLES = 20;

	/** How far back a departure still counts. */
	static final Duration WINDOW = Duration.ofMinutes(30);

	/** Fewer recent departures than this: too thin to say. */
	static final int MIN_SAMPLES = 3;

	private static final RedisScript<Long> DEPARTED = new DefaultRedisScript<>("""
			-- KEYS[1] the pool's samples, KEYS[2] its last departure; ARGV: now, queuedAt (millis), samples kept, ttl
			local now = tonumber(ARGV[1])
			local last = tonumber(redis.call('GET', KEYS[2]) or '0')
			if now <= last then
			  return 0
			end
			redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
			local from = math.max(last, tonumber(ARGV[2]))
			if from >= now then
			  return 0
			end
			redis.call('LPUSH', KEYS[1], ARGV[1] .. ':' .. (now - from))
			redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
			redis.call('PEXPIRE', KEYS[1], ARGV[4])
			return now - from
			""", Long.class);

	private final StringRedisTemplate redis;

	QueueDrain(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** A chat queued at {@code queuedAt} in {@code pool} went to an agent at {@code at}. */
	void departed(String companyId, String pool, Instant queuedAt, Instant at) {
		try {
			String key = RoutingKeys.drain(companyId, pool);
			this.redis.execute(DEPARTED, List.of(key, key + ":last"), Long.toString(at.toEpochMilli()),
					Long.toString(queuedAt.toEpochMilli()), Integer.toString(SAMPLES),
					Long.toString(WINDOW.multipliedBy(2).toMillis()));
		}
		catch (RuntimeException ex) {
			log.debug("Queue drain of {}/{} not recorded: {}", companyId, pool, ex.toString());
		}
	}

	@Override
	public Map<String, Double> meanIntervals(String companyId, Collection<String> pools, Instant now) {
		Map<String, Double> means = new HashMap<>();
		List<String> ordered = new ArrayList<>(pools);
		List<Object> lists;
		try {
			lists = this.redis.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) (
					connection) -> {
				for (String pool : ordered) {
					connection.listCommands()
						.lRange(RoutingKeys.drain(companyId, pool).getBytes(java.nio.charset.StandardCharsets.UTF_8),
								0, -1);
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			log.debug("Queue drain of {} not read: {}", companyId, ex.toString());
			return means;
		}
		long since = now.minus(WINDOW).toEpochMilli();
		for (int i = 0; i < ordered.size(); i++) {
			long total = 0;
			int count = 0;
			for (Object sample : (List<?>) lists.get(i)) {
				String text = String.valueOf(sample);
				int colon = text.indexOf(':');
				if (Long.parseLong(text.substring(0, colon)) >= since) {
					total += Long.parseLong(text.substring(colon + 1));
					count++;
				}
			}
			if (count >= MIN_SAMPLES) {
				means.put(ordered.get(i), total / 1000.0 / count);
			}
		}
		return means;
	}

}
