package dev.taskqueue.rabbitmq;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.kill.WorkerKillSemantics;
import dev.taskqueue.redis.LocalRedis;

/**
 * {@link WorkerKillSemantics} on RabbitMQ, in a virtual host of its own, results over rpc to the test's client.
 * RabbitMQ returns a dead worker's unacknowledged message to its queue as soon as the connection is gone. The
 * tasks' records are in Redis database {@link LocalRedis#KILL_DB}, under a key prefix of this test's own.
 */
class RabbitWorkerKillIT extends WorkerKillSemantics {

	private static final String RECORDS = "kill-rabbit:records:";

	private static RabbitVhost vhost;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-kill");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@Override
	protected void clean() {
		CachingConnectionFactory connectionFactory = vhost.connectionFactory();
		try {
			new RabbitAdmin(connectionFactory).deleteQueue("kill-rabbit");
		}
		finally {
			connectionFactory.destroy();
		}
		LettuceConnectionFactory factory = LocalRedis.connect(LocalRedis.KILL_DB);
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			redis.delete(redis.keys(RECORDS + "*"));
		}
		finally {
			factory.destroy();
		}
	}

	@Override
	protected String[] commonProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"taskqueue.result-backend=rpc", "taskqueue.default-queue=kill-rabbit",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.KILL_DB,
				"kill-it.records=" + RECORDS };
	}

	@Override
	protected Duration redeliveryWindow() {
		// RabbitMQ requeues at once when the connection drops; seconds are plenty on a loaded machine
		return Duration.ofSeconds(5);
	}

	@Override
	protected String records() {
		return RECORDS;
	}

}
