package dev.taskqueue.redis;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The broker's Lua scripts, one per atomic step, each in its own resource file that says what its keys and
 * arguments are. Run with EVALSHA (EVAL the first time), on the shared connection.
 */
final class RedisBrokerScripts {

	final RedisScript<List> claim = script("claim", List.class);

	final RedisScript<List> ack = script("ack", List.class);

	final RedisScript<Long> restore = script("restore", Long.class);

	final RedisScript<List> staleClaims = script("stale_claims", List.class);

	final RedisScript<Long> refreshClaims = script("refresh_claims", Long.class);

	final RedisScript<Long> defer = script("defer", Long.class);

	final RedisScript<Long> releaseDue = script("release_due", Long.class);

	final RedisScript<List> reject = script("reject", List.class);

	final RedisScript<Long> expireDeadLetters = script("expire_dead_letters", Long.class);

	final RedisScript<Long> takeDeadLetter = script("take_dead_letter", Long.class);

	final RedisScript<Long> purgeDeadLetters = script("purge_dead_letters", Long.class);

	final RedisScript<Long> queueDepth = script("queue_depth", Long.class);

	final RedisScript<Long> purgeQueue = script("purge_queue", Long.class);

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return LuaScripts.load(name, resultType);
	}

}
