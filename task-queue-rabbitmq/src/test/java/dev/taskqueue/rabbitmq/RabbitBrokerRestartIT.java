package dev.taskqueue.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real restart of the RabbitMQ node ({@code rabbitmqctl stop_app}, then {@code start_app}): persistent messages
 * of a durable queue survive it, and a consumer subscribed before it resumes on its own afterwards. It stops the
 * shared node for a few seconds, so nothing else may run against it meanwhile (in CI the modules' tests run one
 * after another); the node is started again whatever happens. In a virtual host of its own.
 */
class RabbitBrokerRestartIT {

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static RabbitVhost vhost;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-restart");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@Test
	void persistentMessagesSurviveABrokerRestartAndAConsumerResumesOnItsOwn() throws Exception {
		CachingConnectionFactory connectionFactory = vhost.connectionFactory();
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		new RabbitTopology(admin, List.of(), List.of(), List.of()).declare(List.of("restart"), "taskqueue.dead-letter");
		RabbitBroker broker = new RabbitBroker(connectionFactory, admin, RabbitBrokerSettings.defaults(),
				Clock.systemUTC());
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		Subscription subscription = broker.subscribe(List.of("restart"), 1, deliveries::add);
		try {
			for (String id : List.of("one", "two", "three")) {
				broker.publish("restart", envelope(id));
			}
			// with a prefetch of 1 and nothing acknowledged, the consumer holds "one"; the rest wait in the queue
			Delivery held = deliveries.poll(30, TimeUnit.SECONDS);
			assertThat(held).isNotNull();
			assertThat(held.envelope().correlationId()).isEqualTo("one");

			List<String> after = new ArrayList<>();
			try {
				RabbitVhost.rabbitmqctl("stop_app");
				// the node is down: the broker's restart must find what it wrote to disk
				assertThat(RabbitVhost.rabbitmqctl("eval", "application:which_applications().")).doesNotContain("rabbit,");
			}
			finally {
				RabbitVhost.rabbitmqctl("start_app");
				RabbitVhost.rabbitmqctl("await_startup");
			}
			// every message is still there: "one" (unacknowledged when the node stopped) and the two never delivered
			await().atMost(WAIT).until(() -> {
				Delivery delivery = deliveries.poll(1, TimeUnit.SECONDS);
				if (delivery != null) {
					after.add(delivery.envelope().correlationId());
					// acknowledged on the consumer's new channel, so that the next one comes
					delivery.ack();
				}
				return after.size() >= 3;
			});
			assertThat(after).containsExactlyInAnyOrder("one", "two", "three");
			// the ack of "one" from before the restart was for a channel that is gone: nothing happens
			held.ack();
			await().atMost(WAIT).until(() -> admin.getQueueInfo("restart").getMessageCount() == 0);
		}
		finally {
			subscription.cancel();
			broker.close();
			connectionFactory.destroy();
		}
	}

	private static Envelope envelope(String id) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "test.task");
		headers.put("id", id);
		return new Envelope("[[],{},{}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id,
				null, 0, null);
	}

}
