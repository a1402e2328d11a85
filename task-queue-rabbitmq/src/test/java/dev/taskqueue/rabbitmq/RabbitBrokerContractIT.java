package dev.taskqueue.rabbitmq;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerContract;

/**
 * The RabbitMQ broker keeps the broker contract, against the local broker, in a virtual host of its own. Its
 * hooks differ by design:
 * <ul>
 * <li>a publish must be routed (mandatory, confirmed), so every queue is declared first, as the application's
 * topology does at start-up;</li>
 * <li>only a queue declared with {@code x-max-priority} serves priorities, 9 first;</li>
 * <li>RabbitMQ, not the consumer, picks which of a channel's queues fills a freed prefetch slot, so a queue
 * may be served a few times in a row before another gets its turn;</li>
 * <li>deferred messages are parked in delay queues whose times to live are powers of two seconds (no plugin),
 * so a message may come back early and the consumer parks it again for the time left, as the worker does.</li>
 * </ul>
 */
class RabbitBrokerContractIT extends BrokerContract {

	private static @Nullable RabbitVhost vhost;

	private static @Nullable CachingConnectionFactory connectionFactory;

	private static @Nullable RabbitAdmin admin;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-broker-contract");
		connectionFactory = vhost.connectionFactory();
		admin = new RabbitAdmin(connectionFactory);
		new RabbitTopology(admin, List.of(), List.of(), List.of()).declare(List.of(),
				RabbitBrokerSettings.defaults().deadLetterQueue());
	}

	@AfterAll
	static void deleteVhost() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (vhost != null) {
			vhost.delete();
		}
	}

	@Override
	protected Broker createBroker() {
		return new RabbitBroker(connectionFactory, admin, RabbitBrokerSettings.defaults(), Clock.systemUTC());
	}

	@Override
	protected void close(Broker broker) {
		((RabbitBroker) broker).close();
	}

	@Override
	protected List<Integer> prioritiesMostUrgentFirst() {
		return List.of(9, 5, 0);
	}

	@Override
	protected void declare(String queue) {
		// as the topology declares a queue the application uses but does not describe: durable, no arguments
		admin.declareQueue(new Queue(queue, true, false, false));
	}

	@Override
	protected void declareWithPriorities(String queue) {
		admin.declareQueue(new Queue(queue, true, false, false, Map.of("x-max-priority", 10)));
	}

	@Override
	protected int deliveriesUntilEveryQueueIsServed() {
		// RabbitMQ, not the consumer, picks which of a channel's queues fills a freed slot: the quiet queue's first
		// message came 2nd to 5th of 22 in ten runs with one delivery held at a time
		return 10;
	}

	@Override
	protected boolean deferredMessagesMayComeBackEarly() {
		// the bucket is the longest power of two seconds not longer than the time left: 1 s for a 2 s delay
		return true;
	}

}
