package dev.taskqueue.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.beatit.BeatKillSemantics;
import dev.taskqueue.redis.OwnRedisServer;

/**
 * A killed beat leader on RabbitMQ (a virtual host of this test's own): the broker sees the leader's connection
 * close, puts the state it held back in the queue and makes the next consumer the active one, which leads
 * within seconds. The processes' events go to a redis-server of this test's own.
 */
class RabbitBeatKillIT extends BeatKillSemantics {

	private static RabbitVhost vhost;

	private static CachingConnectionFactory connectionFactory;

	private static RabbitBeatQueues queues;

	private static OwnRedisServer eventServer;

	private static LettuceConnectionFactory eventConnections;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-beat-kill");
		connectionFactory = vhost.connectionFactory();
		queues = new RabbitBeatQueues(connectionFactory);
		eventServer = OwnRedisServer.start();
		eventConnections = eventServer.connectionFactory();
	}

	@AfterAll
	static void deleteVhost() {
		connectionFactory.destroy();
		vhost.delete();
		eventConnections.destroy();
		eventServer.close();
	}

	@Override
	protected void clean() {
		queues.delete();
		events().execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + eventServer.port() };
	}

	@Override
	protected StringRedisTemplate events() {
		return new StringRedisTemplate(eventConnections);
	}

	@Override
	protected int sentCount() {
		return queues.sentCount();
	}

	@Override
	protected List<String> sentIds() {
		return queues.takeSentIds();
	}

	@Override
	protected Instant lastRun() {
		return queues.takeLastRun();
	}

	/**
	 * The broker notices a killed process's connection at once; a few seconds for the new leader to read the
	 * queue and the processes.
	 */
	@Override
	protected Duration takeover() {
		return Duration.ofSeconds(5);
	}

}
