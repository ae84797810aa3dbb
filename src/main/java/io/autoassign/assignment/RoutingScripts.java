package io.autoassign.assignment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Lua scripts under {@code src/main/resources/redis/}, one per atomic routing operation,
 * each prefixed with the shared {@code lib.lua} and loaded once.
 */
@Component
class RoutingScripts {

	@SuppressWarnings("rawtypes")
	final RedisScript<List> assign = load("assign");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> enqueue = load("enqueue");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> assignFromQueue = load("assign_from_queue");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> peekQueue = load("peek_queue");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> release = load("release");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> finishRelease = load("finish_release");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> move = load("move");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> syncAgent = load("sync_agent");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> syncConfig = load("sync_config");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> syncChat = load("sync_chat");

	@SuppressWarnings("rawtypes")
	final RedisScript<List> reset = load("reset");

	@SuppressWarnings("rawtypes")
	private static RedisScript<List> load(String name) {
		return new DefaultRedisScript<>(read("lib") + "\n" + read(name), List.class);
	}

	private static String read(String name) {
		try {
			return new ClassPathResource("redis/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
