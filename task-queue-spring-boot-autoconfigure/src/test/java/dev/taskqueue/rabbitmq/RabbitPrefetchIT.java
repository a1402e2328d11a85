package dev.taskqueue.rabbitmq;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.prefetch.PrefetchSemantics;

/**
 * {@link PrefetchSemantics} on RabbitMQ, in a virtual host of its own: the prefetch is {@code basic.qos}, and
 * RabbitMQ hands each message to the next consumer with room in its prefetch. Results travel over rpc to the
 * first application, which sends the tasks.
 */
class RabbitPrefetchIT extends PrefetchSemantics {

	private static RabbitVhost vhost;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-prefetch");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@Override
	protected void clean() {
		CachingConnectionFactory connectionFactory = vhost.connectionFactory();
		try {
			new RabbitAdmin(connectionFactory).deleteQueue("prefetch");
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Override
	protected String[] transportProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"taskqueue.result-backend=rpc", "taskqueue.default-queue=prefetch" };
	}

}
