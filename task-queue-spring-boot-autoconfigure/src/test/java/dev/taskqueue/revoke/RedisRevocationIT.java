package dev.taskqueue.revoke;

import org.junit.jupiter.api.BeforeEach;

import dev.taskqueue.redis.LocalRedis;

/**
 * Revocation shared through Redis between a sending application and a worker application.
 */
class RedisRevocationIT extends RevocationSemantics {

	@BeforeEach
	void flush() {
		LocalRedis.flushed(LocalRedis.REVOKE_DB).destroy();
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.REVOKE_DB,
				"taskqueue.broker=redis", "taskqueue.result-backend=redis" };
	}

}
