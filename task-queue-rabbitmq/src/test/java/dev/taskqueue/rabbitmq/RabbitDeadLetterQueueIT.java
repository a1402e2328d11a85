package dev.taskqueue.rabbitmq;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueueContract;

/**
 * The RabbitMQ broker's dead letters keep the dead-letter contract, against the local broker, in a virtual
 * host of their own.
 */
class RabbitDeadLetterQueueIT extends DeadLetterQueueContract {

	private static RabbitVhost vhost;

	private static CachingConnectionFactory connectionFactory;

	private static RabbitAdmin admin;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-dead-letters");
		connectionFactory = vhost.connectionFactory();
		admin = new RabbitAdmin(connectionFactory);
		new RabbitTopology(admin, List.of(), List.of(), List.of()).declare(List.of(), "taskqueue.dead-letter");
	}

	@AfterAll
	static void deleteVhost() {
		connectionFactory.destroy();
		vhost.delete();
	}

	@Override
	protected Broker createBroker() {
		return new RabbitBroker(connectionFactory, admin, RabbitBrokerSettings.defaults(), Clock.systemUTC());
	}

	@Override
	protected void declare(String queue) {
		admin.declareQueue(new Queue(queue, false, false, false));
	}

	@Override
	protected void close(Broker broker) {
		((RabbitBroker) broker).close();
	}

}
