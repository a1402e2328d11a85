package dev.taskqueue.rabbitmq;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.beatit.BeatSemantics;

/**
 * The beat's semantics on RabbitMQ, in a virtual host of this test's own: the lead is the single active consumer
 * of {@code taskqueue.beat}, whose one state message holds the last runs; the tasks sent wait in the queue
 * {@code beat-it}.
 */
class RabbitBeatIT extends BeatSemantics {

	private static RabbitVhost vhost;

	private static CachingConnectionFactory connectionFactory;

	private static RabbitBeatQueues queues;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-beat");
		connectionFactory = vhost.connectionFactory();
		queues = new RabbitBeatQueues(connectionFactory);
	}

	@AfterAll
	static void deleteVhost() {
		connectionFactory.destroy();
		vhost.delete();
	}

	@Override
	protected void clean() {
		queues.delete();
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq" };
	}

	@Override
	protected int sentCount() {
		return queues.sentCount();
	}

	@Override
	protected List<String> sentIds() {
		return queues.takeSentIds();
	}

	/**
	 * The state of the highest version in the beat's queue, which no application holds any more.
	 */
	@Override
	protected Instant lastRun() {
		return queues.takeLastRun();
	}

}
