package dev.taskqueue.prefetch;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.redis.LocalRedis;

/**
 * {@link PrefetchSemantics} on the Redis broker, results in Redis. It shares database
 * {@link LocalRedis#WORKER_DB} under a key prefix of its own, and removes only its own keys.
 */
class RedisPrefetchIT extends PrefetchSemantics {

	private static final String PREFIX = "prefetch-it:";

	@Override
	protected void clean() {
		LettuceConnectionFactory factory = LocalRedis.connect(LocalRedis.WORKER_DB);
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			redis.delete(redis.keys(PREFIX + "*"));
		}
		finally {
			factory.destroy();
		}
	}

	@Override
	protected String[] transportProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.WORKER_DB,
				"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.redis.key-prefix=" + PREFIX,
				"taskqueue.default-queue=prefetch" };
	}

}
