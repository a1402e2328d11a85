package dev.taskqueue.rabbitmq;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.control.PidboxTransportContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RabbitMQ remote-control transport keeps the contract, against the local broker, in a virtual host of its
 * own: each transport is one application's. A closed reply queue is deleted from the broker.
 */
class RabbitPidboxTransportContractIT extends PidboxTransportContract {

	private static @Nullable RabbitVhost vhost;

	private static @Nullable CachingConnectionFactory connectionFactory;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-pidbox-contract");
		connectionFactory = vhost.connectionFactory();
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
	protected PidboxTransport createTransport() {
		return new RabbitPidboxTransport(connectionFactory);
	}

	@Override
	protected void assertReplyQueueGone(String oid) {
		assertThat(new RabbitAdmin(connectionFactory).getQueueProperties(oid + ".reply.celery.pidbox")).isNull();
	}

}
