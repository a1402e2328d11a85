package dev.taskqueue.redis;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.worker.LocalRateLimiter;
import dev.taskqueue.worker.RateLimiter;

/**
 * Rate limits shared by all workers on one Redis: the slots that {@link LocalRateLimiter} hands out in one
 * JVM, reserved atomically in Redis so that a task's rate holds across the cluster (Celery's limits are per
 * worker only).
 */
public class RedisRateLimiter implements RateLimiter {

	private static final RedisScript<Long> RESERVE = LuaScripts.load("reserve_rate_slot", Long.class);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	/**
	 * Create a limiter.
	 * @param connectionFactory the Redis the workers share
	 * @param keyPrefix prefix of the limiter's keys ({@code taskqueue.redis.key-prefix})
	 */
	public RedisRateLimiter(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = (keyPrefix != null) ? keyPrefix : "";
	}

	@Override
	public Duration reserve(String key, RateLimit limit) {
		long intervalMicros = Math.max(1, limit.interval().toNanos() / 1000);
		Long wait = this.redis.execute(RESERVE, List.of(this.keyPrefix + "taskqueue.rate." + key),
				Long.toString(intervalMicros));
		return (wait != null && wait > 0) ? Duration.ofNanos(wait * 1000) : Duration.ZERO;
	}

}
