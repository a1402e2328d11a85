package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.status.ComponentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What health reads of Redis follows the server: on a {@code redis-server} of the test's own, the broker and
 * the result backend are up with the server's address and version, and a consumer consumes; the server shut
 * down, they are down within seconds with a reason and the consumer is not consuming; the server started again,
 * they are up and the consumer consumes again, without anything being restarted or touched.
 */
class RedisStatusIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** How soon an outage must show: a health check reads it within seconds. */
	private static final Duration DOWN_WITHIN = Duration.ofSeconds(5);

	/** Lettuce reconnects with a backoff that reaches seconds during an outage. */
	private static final Duration BACK_WITHIN = Duration.ofSeconds(60);

	private OwnRedisServer server;

	private LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.connectionFactory = this.server.connectionFactory();
	}

	@AfterEach
	void stop() {
		this.connectionFactory.destroy();
		this.server.close();
	}

	@Test
	void aRedisThatGoesAwayIsReportedDownWithinSecondsAndUpAgainOnceItReturns() throws Exception {
		try (RedisBroker broker = new RedisBroker(this.connectionFactory, MAPPER, RedisBrokerSettings.defaults(),
				Clock.systemUTC());
				RedisResultBackend backend = new RedisResultBackend(this.connectionFactory, MAPPER,
						RedisResultBackendSettings.defaults(), Clock.systemUTC())) {
			BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
			Subscription subscription = broker.subscribe(List.of("status"), 1, deliveries::add);
			try {
				ComponentStatus up = broker.status();
				assertThat(up.up()).as("%s", up).isTrue();
				assertThat(up.details()).containsEntry("host", "127.0.0.1")
					.containsEntry("port", this.server.port())
					.containsEntry("database", 0)
					.containsKey("version");
				assertThat(backend.status().up()).isTrue();
				await().atMost(DOWN_WITHIN).until(() -> subscription.isConsuming("status"));

				this.server.shutdown();
				await().atMost(DOWN_WITHIN)
					.until(() -> !broker.status().up() && !backend.status().up()
							&& !subscription.isConsuming("status"));
				ComponentStatus down = broker.status();
				assertThat(down.error()).startsWith("Redis at 127.0.0.1:" + this.server.port() + ": ");
				assertThat(down.details()).containsEntry("port", this.server.port()).doesNotContainKey("version");

				this.server.startAgain();
				await().atMost(BACK_WITHIN)
					.until(() -> broker.status().up() && backend.status().up() && subscription.isConsuming("status"));
				// consuming indeed: a message published now arrives
				broker.publish("status", envelope("after-the-outage"));
				Delivery delivery = deliveries.poll(BACK_WITHIN.toSeconds(), TimeUnit.SECONDS);
				assertThat(delivery).isNotNull();
				assertThat(delivery.envelope().correlationId()).isEqualTo("after-the-outage");
				delivery.ack();
			}
			finally {
				subscription.cancel();
			}
			assertThat(subscription.isConsuming("status")).isFalse();
		}
	}

	@Test
	void aRedisThatNeverAnswersIsDownWithoutHangingTheCheck() {
		this.server.shutdown();
		try (RedisBroker broker = new RedisBroker(this.connectionFactory, MAPPER, RedisBrokerSettings.defaults(),
				Clock.systemUTC())) {
			long started = System.nanoTime();
			ComponentStatus status = broker.status();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DOWN_WITHIN);
			assertThat(status.up()).isFalse();
			assertThat(status.error()).startsWith("Redis at 127.0.0.1:" + this.server.port());
		}
	}

	private static Envelope envelope(String id) {
		return new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("task", "status.task", "id", id), id, null, 0, null);
	}

}
