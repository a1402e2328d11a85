package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueueContract;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test
	void aDeadLetterWrittenBeforeDeadLettersHadIdsIsAddressedByItsContent() {
		RedisBroker broker = (RedisBroker) createBroker();
		try {
			String entry = "{\"queue\":\"legacy\",\"reason\":\"old\",\"rejected_at\":\"2024-01-01T00:00:00+00:00\","
					+ "\"envelope\":\"not kombu\"}";
			redis.opsForList().leftPush(broker.keys().deadLetter("legacy"), entry);
			redis.opsForSet().add(broker.keys().deadLetterQueues(), "legacy");
			List<DeadLetter> letters = broker.listDeadLetters("legacy", 10);
			assertThat(letters).singleElement().satisfies((letter) -> assertThat(letter.reason()).isEqualTo("old"));
			assertThat(broker.listDeadLetters(null, 10)).extracting(DeadLetter::id).containsExactly(letters.get(0).id());
			assertThat(broker.purgeDeadLetter(letters.get(0).id())).isTrue();
			assertThat(redis.hasKey(broker.keys().deadLetter("legacy"))).isFalse();
			assertThat(redis.opsForSet().isMember(broker.keys().deadLetterQueues(), "legacy")).isFalse();
		}
		finally {
			broker.close();
		}
	}

}
