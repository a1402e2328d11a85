package dev.taskqueue.redis;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis on 127.0.0.1:6379 that the {@code *IT} tests use. Each test class owns one database index
 * (listed here so that they do not collide) and flushes it first.
 */
public final class LocalRedis {

	/**
	 * Databases 10 and 11 are the Celery capture scripts' when they run; our tests use 2-9 and 12-15, and flush
	 * only their own.
	 */
	public static final int BROKER_CONTRACT_DB = 2;

	public static final int BROKER_DB = 3;

	public static final int RESULT_BACKEND_DB = 4;

	public static final int WORKER_DB = 5;

	public static final int KILL_DB = 6;

	public static final int CELERY_INTEROP_DB = 7;

	public static final int THROUGHPUT_DB = 8;

	/** RabbitMQ interop with results in Redis. */
	public static final int RABBIT_INTEROP_DB = 9;

	/** Revocation shared through Redis. */
	public static final int REVOKE_DB = 12;

	/** Results of the RabbitMQ revocation IT. */
	public static final int RABBIT_REVOKE_DB = 13;

	/** Retries, eta, expiry, time limits and rate limits on Redis. */
	public static final int EXECUTION_DB = 14;

	/** The result backend contract, under a key prefix of its own. */
	public static final int RESULT_BACKEND_CONTRACT_DB = 15;

	private LocalRedis() {
	}

	/**
	 * A started connection factory for a database, flushed.
	 * @param database the database index
	 * @return the factory; stop it when done
	 */
	public static LettuceConnectionFactory flushed(int database) {
		LettuceConnectionFactory factory = connect(database);
		StringRedisTemplate redis = new StringRedisTemplate(factory);
		redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushDb();
			return null;
		});
		return factory;
	}

	/**
	 * A started connection factory for a database.
	 * @param database the database index
	 * @return the factory; stop it when done
	 */
	public static LettuceConnectionFactory connect(int database) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration("127.0.0.1", 6379);
		configuration.setDatabase(database);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
