package dev.taskqueue.kill;

import java.time.Duration;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.redis.LocalRedis;

/**
 * {@link WorkerKillSemantics} on the Redis broker, results in Redis. A dead worker's late-ack message comes back
 * once its claim expires (the visibility timeout, 5 s here). It shares database {@link LocalRedis#KILL_DB}
 * with {@code RedisWorkerKillIT} under a key prefix of its own, and removes only its own keys.
 */
class RedisWorkerKillSemanticsIT extends WorkerKillSemantics {

	private static final String PREFIX = "kill-semantics:";

	private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

	@Override
	protected void clean() {
		LettuceConnectionFactory factory = LocalRedis.connect(LocalRedis.KILL_DB);
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			redis.delete(redis.keys(PREFIX + "*"));
		}
		finally {
			factory.destroy();
		}
	}

	@Override
	protected String[] commonProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.KILL_DB,
				"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.redis.key-prefix=" + PREFIX,
				"taskqueue.default-queue=kill-semantics",
				"taskqueue.redis.visibility-timeout=" + VISIBILITY_TIMEOUT.toSeconds() + "s",
				"taskqueue.redis.claim-refresh=1s", "kill-it.records=" + records() };
	}

	@Override
	protected Duration redeliveryWindow() {
		return VISIBILITY_TIMEOUT.multipliedBy(3);
	}

	@Override
	protected String records() {
		return PREFIX + "records:";
	}

}
