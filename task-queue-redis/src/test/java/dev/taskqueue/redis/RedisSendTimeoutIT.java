package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.PublishRetry;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A send while Redis is away fails within the send timeout, not Lettuce's minute, and a client's send fails
 * with a {@link BrokerException} once its publish retries are used up. Against a Redis of the test's own.
 */
class RedisSendTimeoutIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private OwnRedisServer server;

	private LettuceConnectionFactory connectionFactory;

	private RedisBroker broker;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.connectionFactory = this.server.connectionFactory();
		this.broker = new RedisBroker(this.connectionFactory, MAPPER,
				new RedisBrokerSettings("", Duration.ofSeconds(30), Duration.ofSeconds(10)), Clock.systemUTC());
		// connected, as an application is when Redis goes away
		this.broker.publish("sends", envelope("before"));
		this.server.shutdown();
	}

	@AfterEach
	void stop() {
		this.broker.close();
		this.connectionFactory.destroy();
		this.server.close();
	}

	@Test
	void aSendToRedisThatIsAwayFailsWithinTheSendTimeout() {
		long started = System.nanoTime();
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> this.broker.publish("sends", envelope("lost")))
			.withMessageContaining("Redis did not take task lost")
			.withMessageContaining("taskqueue.redis.send-timeout");
		assertThat(Duration.ofNanos(System.nanoTime() - started))
			.isBetween(RedisBrokerSettings.DEFAULT_SEND_TIMEOUT, RedisBrokerSettings.DEFAULT_SEND_TIMEOUT.plusSeconds(1));
	}

	@Test
	void aClientsSendIsRetriedThenFailsWithABrokerExceptionWithinSeconds() {
		TaskRegistry registry = new TaskRegistry();
		TaskMessageConverter converter = new TaskMessageConverter(
				new SerializerRegistry(List.of(new JsonSerializer(MAPPER)), List.of("json")), Clock.systemUTC());
		TaskTemplate client = TaskTemplate
			.builder(this.broker, converter, TaskRouter.builder(registry).defaultQueue("sends").build(),
					new InMemoryResultBackend(Duration.ofMinutes(1), Clock.systemUTC()))
			.publishRetry(PublishRetry.DEFAULTS)
			.build();
		long started = System.nanoTime();

		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> client.send("redis.task", 1, 2))
			.withMessageContaining("(tried 4 times)")
			.withMessageContaining("Redis did not take task");
		// four tries of at most the send timeout each, and waits of 0, 0.2 and 0.2 seconds
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(11));
	}

	private static Envelope envelope(String id) {
		return new Envelope("[]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("task", "redis.task", "id", id), id, null, 0, null);
	}

}
