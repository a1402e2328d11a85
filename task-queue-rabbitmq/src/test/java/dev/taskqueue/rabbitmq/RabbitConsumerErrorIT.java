package dev.taskqueue.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer whose handler throws an {@link Error} logs it, returns the message to its queue and goes on
 * consuming. In a virtual host of its own.
 */
class RabbitConsumerErrorIT {

	private static final String QUEUE = "errors";

	private RabbitVhost vhost;

	private CachingConnectionFactory connectionFactory;

	private RabbitBroker broker;

	@BeforeEach
	void start() {
		this.vhost = RabbitVhost.create("taskqueue-it-rabbit-consumer-errors");
		this.connectionFactory = this.vhost.connectionFactory();
		RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
		new RabbitTopology(admin, List.of(), List.of(), List.of()).declare(List.of(), "taskqueue.dead-letter");
		admin.declareQueue(new Queue(QUEUE, false, false, false));
		this.broker = new RabbitBroker(this.connectionFactory, admin, RabbitBrokerSettings.defaults(), Clock.systemUTC());
	}

	@AfterEach
	void stop() {
		this.broker.close();
		this.connectionFactory.destroy();
		this.vhost.delete();
	}

	@Test
	void aHandlerThatThrowsAnErrorGetsTheMessageAgainAndTheConsumerGoesOn() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		BlockingQueue<Delivery> handled = new LinkedBlockingQueue<>();
		Subscription subscription = this.broker.subscribe(List.of(QUEUE), 4, (delivery) -> {
			if (calls.incrementAndGet() == 1) {
				throw new NoClassDefFoundError("provoked");
			}
			handled.add(delivery);
			delivery.ack();
		});
		try {
			this.broker.publish(Destination.queue(QUEUE), envelope("first"));
			Delivery again = handled.poll(10, TimeUnit.SECONDS);
			assertThat(again).isNotNull();
			assertThat(again.envelope().correlationId()).isEqualTo("first");
			assertThat(again.redelivered()).isTrue();

			this.broker.publish(Destination.queue(QUEUE), envelope("second"));
			Delivery next = handled.poll(10, TimeUnit.SECONDS);
			assertThat(next).isNotNull();
			assertThat(next.envelope().correlationId()).isEqualTo("second");
			assertThat(calls).hasValue(3);
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
