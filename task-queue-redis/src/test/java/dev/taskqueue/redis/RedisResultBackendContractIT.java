package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultBackendContract;

/**
 * The Redis result backend keeps the result backend contract, against the local Redis: a database of its own,
 * flushed first, and a key prefix of its own, so that the prefixed keys and channels are what is checked. No
 * hook is overridden: Redis stores results where any client reads them, at once, with their {@code date_done}.
 */
class RedisResultBackendContractIT extends ResultBackendContract {

	private static final String KEY_PREFIX = "result-contract:";

	private static @Nullable LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = LocalRedis.flushed(LocalRedis.RESULT_BACKEND_CONTRACT_DB);
	}

	@AfterAll
	static void disconnect() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
	}

	@Override
	protected ResultBackend createBackend() {
		return new RedisResultBackend(connectionFactory, JsonMapper.builder().build(),
				new RedisResultBackendSettings(KEY_PREFIX, Duration.ofDays(1)), Clock.systemUTC());
	}

}
