package dev.taskqueue.rabbitmq;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import dev.taskqueue.redis.LocalRedis;
import dev.taskqueue.revoke.RevocationSemantics;

/**
 * Revocation shared through a RabbitMQ stream between a sending application and a worker application.
 */
class RabbitRevocationIT extends RevocationSemantics {

	private static RabbitVhost vhost;

	@BeforeEach
	void clean() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-revoke");
		LocalRedis.flushed(LocalRedis.RABBIT_REVOKE_DB).destroy();
	}

	@AfterAll
	static void delete() {
		vhost.delete();
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.database=" + LocalRedis.RABBIT_REVOKE_DB, "taskqueue.broker=rabbitmq",
				"taskqueue.result-backend=redis" };
	}

}
