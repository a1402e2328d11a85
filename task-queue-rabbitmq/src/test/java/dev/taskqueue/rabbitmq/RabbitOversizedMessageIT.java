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
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message whose body is above the maximum message size is dead-lettered with a reason naming its size and
 * the limit, before it reaches the worker, and the consumer goes on with the next one. In a virtual host of
 * its own.
 */
class RabbitOversizedMessageIT {

	private static final int LIMIT = 1024;

	private static final String QUEUE = "oversized";

	private RabbitVhost vhost;

	private CachingConnectionFactory connectionFactory;

	private RabbitBroker broker;

	@BeforeEach
	void start() {
		this.vhost = RabbitVhost.create("taskqueue-it-rabbit-oversized");
		this.connectionFactory = this.vhost.connectionFactory();
		RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
		new RabbitTopology(admin, List.of(), List.of(), List.of()).declare(List.of(), "taskqueue.dead-letter");
		admin.declareQueue(new Queue(QUEUE, false, false, false));
		this.broker = new RabbitBroker(this.connectionFactory, admin,
				RabbitBrokerSettings.defaults().withMaxMessageSize(LIMIT), Clock.systemUTC());
	}

	@AfterEach
	void stop() {
		this.broker.close();
		this.connectionFactory.destroy();
		this.vhost.delete();
	}

	@Test
	void anOversizedMessageIsDeadLetteredBeforeTheWorkerAndTheNextOneIsDelivered() throws Exception {
		byte[] oversized = "{".concat("x".repeat(4000)).getBytes(StandardCharsets.UTF_8);
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		properties.setContentEncoding("utf-8");
		properties.setHeader("task", "rabbit.task");
		properties.setHeader("id", "too-large");
		new RabbitTemplate(this.connectionFactory).send("", QUEUE,
				new org.springframework.amqp.core.Message(oversized, properties));
		this.broker.publish(Destination.queue(QUEUE), envelope("valid"));
		BlockingQueue<Delivery> handed = new LinkedBlockingQueue<>();

		Subscription subscription = this.broker.subscribe(List.of(QUEUE), 4, (delivery) -> {
			handed.add(delivery);
			delivery.ack();
		});
		try {
			Delivery first = handed.poll(10, TimeUnit.SECONDS);
			assertThat(first).isNotNull();
			assertThat(first.envelope().correlationId()).isEqualTo("valid");
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.broker.listDeadLetters(QUEUE, 10).isEmpty());
			List<DeadLetter> letters = this.broker.listDeadLetters(QUEUE, 10);
			assertThat(letters).singleElement().satisfies((letter) -> {
				assertThat(letter.reason()).contains(oversized.length + " bytes").contains(LIMIT + " bytes")
					.contains("taskqueue.max-message-size");
				assertThat(letter.envelope().body()).isEqualTo(oversized);
			});
			assertThat(handed).isEmpty();
		}
		finally {
			subscription.cancel();
		}
	}

	private static Envelope envelope(String id) {
		return new Envelope("[]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("task", "rabbit.task", "id", id), id, null, 0, null);
	}

}
