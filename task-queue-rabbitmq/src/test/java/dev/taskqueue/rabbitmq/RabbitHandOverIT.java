package dev.taskqueue.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery whose task runs towards the broker's consumer timeout is handed over: a guard copy parked until the
 * task's hard limit, the original acknowledged. The node's own timeout is left alone (30 minutes): the broker is
 * told it is 4 s, so that it hands over after 3 s, well before the node would act. In a virtual host of its own.
 */
class RabbitHandOverIT {

	private static RabbitVhost vhost;

	private CachingConnectionFactory connectionFactory;

	private RabbitAdmin admin;

	private RabbitBroker broker;

	private final List<Subscription> subscriptions = new ArrayList<>();

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-hand-over");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@BeforeEach
	void createBroker() {
		this.connectionFactory = vhost.connectionFactory();
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.admin.deleteQueue("long");
		new RabbitTopology(this.admin, List.of(), List.of(), List.of()).declare(List.of("long"),
				"taskqueue.dead-letter");
		this.broker = new RabbitBroker(this.connectionFactory, this.admin,
				RabbitBrokerSettings.defaults().withConsumerTimeout(Duration.ofSeconds(4)), Clock.systemUTC());
	}

	@AfterEach
	void closeBroker() {
		this.subscriptions.forEach(Subscription::cancel);
		this.broker.close();
		this.connectionFactory.destroy();
	}

	@Test
	void aTaskStillRunningBeforeTheConsumerTimeoutIsHandedOverToAGuardDueAtItsHardLimit() {
		BlockingQueue<Delivery> deliveries = subscribe();
		this.broker.publish("long", envelope("long-1"));
		Delivery original = take(deliveries);
		Instant startedAt = Instant.now();
		original.started(Duration.ofSeconds(9));
		this.broker.publish("long", envelope("next"));

		// with a prefetch of 1, the next message comes once the hand-over acknowledged the original
		Delivery next = take(deliveries);
		assertThat(next.envelope().correlationId()).isEqualTo("next");
		assertThat(next.isGuard()).isFalse();
		assertThat(Instant.now()).isAfterOrEqualTo(startedAt.plusMillis(2500));
		next.ack();

		// the guard is due at the start plus the hard limit plus the margin (1 s): it hops through the 4 s,
		// 2 s and 1 s buckets, re-parked by the transport each time it is back early
		Delivery guard = take(deliveries);
		assertThat(guard.isGuard()).isTrue();
		assertThat(guard.envelope().correlationId()).isEqualTo("long-1");
		assertThat(guard.envelope().headers()).containsKey(RabbitBroker.GUARD_HEADER).containsEntry("task",
				"test.task");
		assertThat(Instant.now()).isAfterOrEqualTo(startedAt.plusSeconds(10));
		// the original's own ack, at the end of its task, sends nothing: the channel stays open for the guard's
		original.ack();
		guard.ack();
		assertThat(original.isSettled()).isTrue();
		assertThat(poll(deliveries, Duration.ofSeconds(2))).isNull();
		assertThat(this.admin.getQueueInfo("long").getMessageCount()).isZero();
	}

	@Test
	void aTaskThatEndsBeforeTheHandOverLeavesNoGuard() {
		BlockingQueue<Delivery> deliveries = subscribe();
		this.broker.publish("long", envelope("short-1"));
		Delivery original = take(deliveries);
		original.started(Duration.ofSeconds(1));
		original.ack();

		// past the hand-over (3 s) and the guard's due time (2 s): nothing comes back
		assertThat(poll(deliveries, Duration.ofSeconds(5))).isNull();
		assertThat(this.admin.getQueueInfo("long").getMessageCount()).isZero();
	}

	private BlockingQueue<Delivery> subscribe() {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		this.subscriptions.add(this.broker.subscribe(List.of("long"), 1, deliveries::add));
		return deliveries;
	}

	private static Delivery take(BlockingQueue<Delivery> deliveries) {
		Delivery delivery = poll(deliveries, Duration.ofSeconds(30));
		assertThat(delivery).as("a delivery within 30 s").isNotNull();
		return delivery;
	}

	private static Delivery poll(BlockingQueue<Delivery> deliveries, Duration timeout) {
		try {
			return deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
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
