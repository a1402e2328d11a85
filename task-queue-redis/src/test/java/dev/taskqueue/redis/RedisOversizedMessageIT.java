package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message above the maximum message size is refused from its size and dead-lettered with a reason naming the
 * size and the limit, without its body being parsed; the worker goes on with the next one. Against a Redis of
 * the test's own.
 */
class RedisOversizedMessageIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final int LIMIT = 1024;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private OwnRedisServer server;

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private RedisBroker broker;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.connectionFactory = this.server.connectionFactory();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.broker = new RedisBroker(this.connectionFactory, MAPPER,
				new RedisBrokerSettings("", Duration.ofSeconds(30), Duration.ofSeconds(10)).withMaxMessageSize(LIMIT),
				Clock.systemUTC());
	}

	@AfterEach
	void stop() {
		this.broker.close();
		this.connectionFactory.destroy();
		this.server.close();
	}

	@Test
	void anOversizedMessageIsDeadLetteredInTheClaimScriptAndTheNextOneIsDelivered() throws Exception {
		// not even JSON: were it parsed, it would be dead-lettered as "not a kombu message"
		String oversized = "{" + "x".repeat(2000);
		this.redis.opsForList().leftPush("big", oversized);
		this.broker.publish("big", envelope("valid"));

		List<AbstractDelivery> deliveries = this.broker.poll(List.of("big"), 4, WAIT);

		assertThat(deliveries).extracting((delivery) -> delivery.envelope().correlationId()).containsExactly("valid");
		assertRefused("big", oversized);
		// nothing of it left claimed: it does not come back after the visibility timeout
		assertThat(this.redis.opsForHash().size("unacked")).isEqualTo(1);
	}

	@Test
	void anOversizedMessageTakenByAWaitingConsumerIsDeadLetteredUnparsed() throws Exception {
		String oversized = "{" + "y".repeat(3000);
		CompletableFuture<List<AbstractDelivery>> waiting = CompletableFuture
			.supplyAsync(() -> poll(List.of("waiting")));
		// the consumer waits in BRPOP on an empty queue when the message arrives
		await().atMost(WAIT).until(() -> this.redis.execute((org.springframework.data.redis.core.RedisCallback<Boolean>) (
				connection) -> connection.serverCommands().getClientList().stream()
					.anyMatch((client) -> "brpop".equals(client.get("cmd")))));
		this.redis.opsForList().leftPush("waiting", oversized);

		assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
		assertRefused("waiting", oversized);
		assertThat(this.redis.opsForHash().size("unacked")).isZero();

		this.broker.publish("waiting", envelope("next"));
		assertThat(this.broker.poll(List.of("waiting"), 4, WAIT))
			.extracting((delivery) -> delivery.envelope().correlationId())
			.containsExactly("next");
	}

	private void assertRefused(String queue, String oversized) {
		List<DeadLetter> letters = this.broker.deadLetters(queue);
		assertThat(letters).singleElement().satisfies((letter) -> {
			assertThat(letter.reason()).contains(oversized.length() + " bytes").contains(LIMIT + " bytes")
				.contains("taskqueue.max-message-size");
			assertThat(letter.queue()).isEqualTo(queue);
			assertThat(new String(letter.envelope().body(), StandardCharsets.UTF_8)).isEqualTo(oversized);
		});
	}

	private List<AbstractDelivery> poll(List<String> queues) {
		try {
			return this.broker.poll(queues, 4, WAIT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
	}

	private static Envelope envelope(String id) {
		return new Envelope("[]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("task", "redis.task", "id", id), id, null, 0, null);
	}

}
