package dev.taskqueue.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueueContract;
import dev.taskqueue.broker.DeadLetterRetention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The RabbitMQ broker's dead letters keep the dead-letter contract, against the local broker, in a virtual
 * host of their own. RabbitMQ keeps the retention itself, for the whole dead-letter queue and by its own clock,
 * and expires dead letters without telling; and a dead-letter queue declared before it had a retention is used
 * as it is, with a warning that says how to cap it.
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

	/**
	 * A broker with a dead-letter queue of its own, declared with the retention's arguments.
	 */
	@Override
	protected Broker createBroker(DeadLetterRetention retention, Clock clock) {
		String deadLetterQueue = "taskqueue.dead-letter." + UUID.randomUUID();
		new RabbitTopology(admin, List.of(), List.of(), List.of()).declare(List.of(), deadLetterQueue, retention);
		RabbitBrokerSettings defaults = RabbitBrokerSettings.defaults();
		RabbitBrokerSettings settings = new RabbitBrokerSettings(deadLetterQueue, defaults.delayExchange(),
				defaults.confirmTimeout(), defaults.recoveryInterval(), defaults.globalQos());
		return new RabbitBroker(connectionFactory, admin, settings, clock, retention);
	}

	@Override
	protected boolean agesByTheGivenClock() {
		return false;
	}

	@Override
	protected boolean countsDropsByAge() {
		return false;
	}

	@Override
	protected boolean countsPerQueue() {
		return false;
	}

	@Test
	void anExistingDeadLetterQueueWithoutTheRetentionIsUsedAsItIsWithAWarningThatSaysHowToCapIt() {
		String deadLetterQueue = "taskqueue.dead-letter.uncapped-" + UUID.randomUUID();
		admin.declareQueue(new Queue(deadLetterQueue, true, false, false));
		Logger logger = (Logger) LoggerFactory.getLogger(RabbitTopology.class);
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		logger.addAppender(log);
		try {
			assertThatNoException().isThrownBy(() -> new RabbitTopology(admin, List.of(), List.of(), List.of())
				.declare(List.of("celery"), deadLetterQueue, new DeadLetterRetention(5, Duration.ofHours(1))));
		}
		finally {
			logger.detachAppender(log);
		}
		assertThat(log.list).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.contains("'" + deadLetterQueue + "'", "NOT kept within max-count 5 and max-age PT1H",
					"rabbitmqctl set_policy -p " + vhost.name(), "\"max-length\":5", "\"overflow\":\"drop-head\"",
					"\"message-ttl\":3600000", "delete the queue");
		// the declaration went on: the queues after it exist
		assertThat(admin.getQueueProperties("celery")).isNotNull();
		assertThat(admin.getQueueProperties(deadLetterQueue)).isNotNull();
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
