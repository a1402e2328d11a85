package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.MovableClock;
import dev.taskqueue.broker.DeadLetterQueueContract;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broker's dead letters keep the dead-letter contract, against the local Redis, in the broker
 * contract's database under a key prefix of their own; and the housekeeping drops those too old from lists no
 * reject touches.
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
	protected Broker createBroker(DeadLetterRetention retention, Clock clock) {
		return new RedisBroker(connectionFactory, JsonMapper.builder().build(),
				new RedisBrokerSettings(PREFIX, Duration.ofSeconds(30), Duration.ofSeconds(10)), clock, retention);
	}

	@Test
	void theHousekeepingDropsDeadLettersTooOldFromEveryQueueAndForgetsEmptiedQueues() {
		MovableClock clock = new MovableClock(Instant.now());
		RedisBroker broker = (RedisBroker) createBroker(new DeadLetterRetention(100, Duration.ofHours(1)), clock);
		try {
			String a = "expiring-" + UUID.randomUUID();
			String b = "expiring-" + UUID.randomUUID();
			deadLetter(broker, a, "a1");
			deadLetter(broker, b, "b1");
			assertThat(broker.expireDeadLetters()).isZero();
			clock.advance(Duration.ofMinutes(61));
			assertThat(broker.expireDeadLetters()).isEqualTo(2);
			assertThat(broker.deadLetters(a)).isEmpty();
			assertThat(broker.deadLetters(b)).isEmpty();
			assertThat(redis.opsForSet().members(broker.keys().deadLetterQueues())).doesNotContain(a, b);
		}
		finally {
			broker.purgeDeadLetters(null);
			broker.close();
		}
	}

	private static void deadLetter(RedisBroker broker, String queue, String id) {
		broker.publish(queue, new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", Map.of("task", "dead.task", "id", id), id, null, 0, null));
		Subscription subscription = broker.subscribe(List.of(queue), 1, (delivery) -> delivery.reject("poison"));
		try {
			await().until(() -> broker.deadLetters(queue).size() == 1);
		}
		finally {
			subscription.cancel();
		}
	}

	@Override
	protected void close(Broker broker) {
		((RedisBroker) broker).close();
	}

}
