package dev.taskqueue.rabbitmq;

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
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.status.ComponentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What health reads of RabbitMQ follows the server, in a virtual host of the test's own: the broker and the rpc
 * result backend are up with the server's address and version, and a consumer consumes; the virtual host deleted
 * (RabbitMQ closes its connections, as when the node goes away), they are down within seconds with a reason and
 * the consumer is not consuming; the virtual host created again, they are up on their own, the result backend's
 * reply consumer (which declares its queue) consumes again, and so does the broker's consumer, which declares its
 * queue again as kombu's does when it revives (the deleted virtual host took the queue along).
 */
class RabbitStatusIT {

	private static final String VHOST = "taskqueue-it-rabbit-status";

	/** How soon an outage must show: a health check reads it within seconds. */
	private static final Duration DOWN_WITHIN = Duration.ofSeconds(5);

	private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

	private RabbitVhost vhost;

	private CachingConnectionFactory connectionFactory;

	private RabbitAdmin admin;

	@BeforeEach
	void createVhost() {
		this.vhost = RabbitVhost.create(VHOST);
		this.connectionFactory = this.vhost.connectionFactory();
		this.admin = new RabbitAdmin(this.connectionFactory);
		declareTopology();
	}

	@AfterEach
	void deleteVhost() {
		this.connectionFactory.destroy();
		this.vhost.delete();
	}

	private void declareTopology() {
		new RabbitTopology(this.admin, List.of(), List.of(), List.of()).declare(List.of("status"),
				RabbitBrokerSettings.defaults().deadLetterQueue());
	}

	@Test
	void aVirtualHostThatGoesAwayIsReportedDownWithinSecondsAndUpAgainOnceItReturns() throws Exception {
		RabbitBroker broker = new RabbitBroker(this.connectionFactory, this.admin, RabbitBrokerSettings.defaults(),
				Clock.systemUTC());
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		Subscription subscription = broker.subscribe(List.of("status"), 1, deliveries::add);
		try (RpcResultBackend backend = new RpcResultBackend(this.connectionFactory, JsonMapper.builder().build(),
				RpcResultBackendSettings.defaults(), Clock.systemUTC())) {
			ComponentStatus up = broker.status();
			assertThat(up.up()).as("%s", up).isTrue();
			assertThat(up.details()).containsEntry("host", "127.0.0.1")
				.containsEntry("port", 5672)
				.containsEntry("virtualHost", VHOST)
				.containsEntry("product", "RabbitMQ")
				.containsKey("version");
			assertThat(backend.status().up()).isTrue();
			assertThat(backend.status().details()).containsEntry("replyTo", backend.replyTo());
			assertThat(subscription.isConsuming("status")).isTrue();

			this.vhost.delete();
			await().atMost(DOWN_WITHIN)
				.until(() -> !broker.status().up() && !backend.status().up() && !subscription.isConsuming("status"));
			ComponentStatus down = broker.status();
			// RabbitMQ's own words
			assertThat(down.error()).isEqualTo("RabbitMQ at 127.0.0.1:5672 (virtual host '" + VHOST
					+ "'): NOT_ALLOWED - vhost " + VHOST + " not found (530)");
			assertThat(down.details()).containsEntry("virtualHost", VHOST).doesNotContainKey("version");

			RabbitVhost.create(VHOST);
			await().atMost(BACK_WITHIN).until(() -> broker.status().up() && backend.status().up());
			await().atMost(BACK_WITHIN).until(() -> subscription.isConsuming("status"));
			// consuming indeed: a message published now arrives
			broker.publish("status", envelope("after-the-outage"));
			Delivery delivery = deliveries.poll(BACK_WITHIN.toSeconds(), TimeUnit.SECONDS);
			assertThat(delivery).isNotNull();
			assertThat(delivery.envelope().correlationId()).isEqualTo("after-the-outage");
			delivery.ack();
		}
		finally {
			subscription.cancel();
			broker.close();
		}
		assertThat(subscription.isConsuming("status")).isFalse();
	}

	@Test
	void aVirtualHostThatDoesNotExistIsDownWithoutHangingTheCheck() {
		this.vhost.delete();
		RabbitBroker broker = new RabbitBroker(this.connectionFactory, this.admin, RabbitBrokerSettings.defaults(),
				Clock.systemUTC());
		try {
			long started = System.nanoTime();
			ComponentStatus status = broker.status();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DOWN_WITHIN);
			assertThat(status.up()).isFalse();
			assertThat(status.error()).startsWith("RabbitMQ at 127.0.0.1:5672 (virtual host '" + VHOST + "'): ");
		}
		finally {
			broker.close();
		}
	}

	private static Envelope envelope(String id) {
		return new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("task", "status.task", "id", id), id, null, 0, null);
	}

}
