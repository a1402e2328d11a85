package dev.taskqueue.rabbitmq;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.EventTransportContract;

/**
 * The RabbitMQ event transport keeps the event transport contract, in a virtual host of its own. No hook is
 * overridden.
 */
class RabbitEventTransportContractIT extends EventTransportContract {

	private static RabbitVhost vhost;

	private static CachingConnectionFactory connectionFactory;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-events-contract");
		connectionFactory = vhost.connectionFactory();
	}

	@AfterAll
	static void deleteVhost() {
		connectionFactory.destroy();
		vhost.delete();
	}

	@Override
	protected EventTransport createTransport() {
		return new RabbitEventTransport(connectionFactory, Duration.ofSeconds(1));
	}

}
