package io.autoassign.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.autoassign.chat.Priority;
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
 * millis>:<priority ordinal>}) and the time of the last one, in the company's cluster slot, outside the routing
 * state; written after the commit that assigned the chat, in one script (two nodes never measure
 * the same interval twice). A Redis that is down or emptied only loses history: the estimates
 * are {@code null} until it has grown again.
 * <p>
 * The rule ({@link #recentDrains}): the samples of the last {@link #WINDOW}; at least
 * {@link #MIN_SAMPLES} of them, or the pool's estimate is {@code null}; the estimate uses their
 * mean and the share of each priority among them.
 */
@Component
class QueueDrain implements QueueDrainHistory {

	private static final Logger log = LoggerFactory.getLogger(QueueDrain.class);

	/** Departures kept per pool. */
	static final int SAMPLES = 100;

	/** How far back a departure still counts. */
	static final Duration WINDOW = Duration.ofMinutes(30);

	/** Fewer recent departures than this: too thin to say. */
	static final int MIN_SAMPLES = 3;

	private static final RedisScript<Long> DEPARTED = new DefaultRedisScript<>("""
			-- KEYS[1] the pool's samples, KEYS[2] its last departure; ARGV: now, queuedAt (millis), samples kept, ttl,
			-- the departing chat's priority (ordinal)
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
			redis.call('LPUSH', KEYS[1], ARGV[1] .. ':' .. (now - from) .. ':' .. ARGV[5])
			redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
			redis.call('PEXPIRE', KEYS[1], ARGV[4])
			return now - from
			""", Long.class);

	/** Every sample of each pool named in KEYS, in that order. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static final RedisScript<List<List<String>>> RECENT = new DefaultRedisScript<>("""
			local lists = {}
			for i, key in ipairs(KEYS) do
			  lists[i] = redis.call('LRANGE', key, 0, -1)
			end
			return lists
			""", (Class<List<List<String>>>) (Class) List.class);

	private final StringRedisTemplate redis;

	QueueDrain(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** A chat of {@code priority} queued at {@code queuedAt} in {@code pool} went to an agent at {@code at}. */
	void departed(String companyId, String pool, Priority priority, Instant queuedAt, Instant at) {
		try {
			String key = RoutingKeys.drain(companyId, pool);
			this.redis.execute(DEPARTED, List.of(key, key + ":last"), Long.toString(at.toEpochMilli()),
					Long.toString(queuedAt.toEpochMilli()), Integer.toString(SAMPLES),
					Long.toString(WINDOW.multipliedBy(2).toMillis()), Integer.toString(priority.ordinal()));
		}
		catch (RuntimeException ex) {
			log.debug("Queue drain of {}/{} not recorded: {}", companyId, pool, ex.toString());
		}
	}

	@Override
	public Map<String, Drain> recentDrains(String companyId, Collection<String> pools, Instant now) {
		Map<String, Drain> drains = new HashMap<>();
		List<String> ordered = new ArrayList<>(pools);
		if (ordered.isEmpty()) {
			return drains;
		}
		List<List<String>> lists;
		try {
			// one script, not a pipeline: every key carries the company's hash tag, so that a
			// Redis Cluster serves all of them from one master (pipelines it does not offer)
			lists = this.redis.execute(RECENT, ordered.stream().map((pool) -> RoutingKeys.drain(companyId, pool)).toList());
		}
		catch (RuntimeException ex) {
			log.debug("Queue drain of {} not read: {}", companyId, ex.toString());
			return drains;
		}
		long since = now.minus(WINDOW).toEpochMilli();
		for (int i = 0; i < ordered.size(); i++) {
			long total = 0;
			int count = 0;
			int[] byPriority = new int[Priority.values().length];
			for (String sample : lists.get(i)) {
				String[] parts = sample.split(":");
				if (Long.parseLong(parts[0]) >= since) {
					total += Long.parseLong(parts[1]);
					byPriority[parts.length > 2 ? Integer.parseInt(parts[2]) : Priority.NORMAL.ordinal()]++;
					count++;
				}
			}
			if (count >= MIN_SAMPLES) {
				drains.put(ordered.get(i), new Drain(count, total / 1000.0 / count, byPriority));
			}
		}
		return drains;
	}

}
