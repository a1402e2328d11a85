package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueueContract;

/**
 * The Redis broker's dead letters keep the dead-letter contract, against the local Redis, in the broker
 * contract's database under a key prefix of their own.
 */
class RedisDeadLetterQueueIT extends DeadLetterQueueContract {

	private static final String PREFIX = "dead-letters:";

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		connectionFactory = LocalRedis.connect(LocalRedis.BROKER_CONTRACT_DB);
		redis = new StringRedisTemplate(connectionFactory);
		Set<String> leftovers = redis.keys(PREFIX + "*");
		if (leftovers != null && !leftovers.isEmpty()) {
			redis.delete(leftovers);
		}
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected Broker createBroker() {
		return new RedisBroker(connectionFactory, JsonMapper.builder().build(),
				new RedisBrokerSettings(PREFIX, Duration.ofSeconds(30), Duration.ofSeconds(10)), Clock.systemUTC());
	}

	@Override
	protected void close(Broker broker) {
		((RedisBroker) broker).close();
	}

}
