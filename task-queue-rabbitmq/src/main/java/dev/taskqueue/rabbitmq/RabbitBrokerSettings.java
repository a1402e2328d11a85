package dev.taskqueue.rabbitmq;

import java.time.Duration;

import dev.taskqueue.serialization.MessageLimits;

/**
 * How the RabbitMQ broker publishes, consumes, parks and dead-letters.
 *
 * @param deadLetterQueue the queue rejected messages are moved to
 * @param delayExchange the headers exchange deferred messages are parked through
 * @param confirmTimeout how long a publish waits for the broker's confirm
 * @param recoveryInterval how long a consumer waits between reconnection attempts
 * @param globalQos whether a consumer of several queues shares its prefetch among them (as Celery); quorum
 * queues refuse it, so it is off when a consumed queue is a quorum queue
 * @param maxMessageSize the largest message body handed to the worker, in bytes; a larger one is dead-lettered
 * from its size, undecoded
 * @param createMissingQueues whether the first send to a queue that does not exist declares it, as Celery's
 * {@code task_create_missing_queues} does (a durable queue bound to a direct exchange of its name), instead of
 * failing with {@code NO_ROUTE}
 * @param consumerTimeout the broker's {@code consumer_timeout} (RabbitMQ's default is 30 minutes): a delivery
 * still unacknowledged shortly before it is handed over (a guard copy parked, the original acknowledged) so that
 * the broker does not close the channel under it
 */
public record RabbitBrokerSettings(String deadLetterQueue, String delayExchange, Duration confirmTimeout,
		Duration recoveryInterval, boolean globalQos, int maxMessageSize, boolean createMissingQueues,
		Duration consumerTimeout) {

	/** RabbitMQ's default {@code consumer_timeout}. */
	public static final Duration DEFAULT_CONSUMER_TIMEOUT = Duration.ofMinutes(30);

	/**
	 * Check the settings.
	 */
	public RabbitBrokerSettings {
		if (maxMessageSize < 1) {
			throw new IllegalArgumentException("the maximum message size must be positive, was " + maxMessageSize);
		}
		if (consumerTimeout.isNegative() || consumerTimeout.isZero()) {
			throw new IllegalArgumentException("the consumer timeout must be positive, was " + consumerTimeout);
		}
	}

	/**
	 * Settings with RabbitMQ's default consumer timeout.
	 * @param deadLetterQueue the queue rejected messages are moved to
	 * @param delayExchange the headers exchange deferred messages are parked through
	 * @param confirmTimeout how long a publish waits for the broker's confirm
	 * @param recoveryInterval how long a consumer waits between reconnection attempts
	 * @param globalQos whether a consumer of several queues shares its prefetch among them
	 * @param maxMessageSize the largest message body handed to the worker, in bytes
	 * @param createMissingQueues whether the first send to a queue that does not exist declares it
	 */
	public RabbitBrokerSettings(String deadLetterQueue, String delayExchange, Duration confirmTimeout,
			Duration recoveryInterval, boolean globalQos, int maxMessageSize, boolean createMissingQueues) {
		this(deadLetterQueue, delayExchange, confirmTimeout, recoveryInterval, globalQos, maxMessageSize,
				createMissingQueues, DEFAULT_CONSUMER_TIMEOUT);
	}

	/**
	 * Settings with the default maximum message size, 16 MiB ({@link MessageLimits#DEFAULTS}), that create
	 * missing queues on first send, as Celery does by default.
	 * @param deadLetterQueue the queue rejected messages are moved to
	 * @param delayExchange the headers exchange deferred messages are parked through
	 * @param confirmTimeout how long a publish waits for the broker's confirm
	 * @param recoveryInterval how long a consumer waits between reconnection attempts
	 * @param globalQos whether a consumer of several queues shares its prefetch among them
	 */
	public RabbitBrokerSettings(String deadLetterQueue, String delayExchange, Duration confirmTimeout,
			Duration recoveryInterval, boolean globalQos) {
		this(deadLetterQueue, delayExchange, confirmTimeout, recoveryInterval, globalQos,
				MessageLimits.DEFAULTS.maxBytes(), true);
	}

	/**
	 * The defaults of {@code taskqueue.rabbitmq}.
	 * @return the settings
	 */
	public static RabbitBrokerSettings defaults() {
		return new RabbitBrokerSettings("taskqueue.dead-letter", "taskqueue.delay", Duration.ofSeconds(10),
				Duration.ofSeconds(1), true);
	}

	/**
	 * These settings with another maximum message size.
	 * @param maxMessageSize the largest message body handed to the worker, in bytes
	 * @return the settings
	 */
	public RabbitBrokerSettings withMaxMessageSize(int maxMessageSize) {
		return new RabbitBrokerSettings(this.deadLetterQueue, this.delayExchange, this.confirmTimeout,
				this.recoveryInterval, this.globalQos, maxMessageSize, this.createMissingQueues, this.consumerTimeout);
	}

	/**
	 * These settings, creating missing queues on first send or not.
	 * @param create {@code false} for a send to a queue that does not exist to fail with {@code NO_ROUTE}
	 * @return the settings
	 */
	public RabbitBrokerSettings withCreateMissingQueues(boolean create) {
		return new RabbitBrokerSettings(this.deadLetterQueue, this.delayExchange, this.confirmTimeout,
				this.recoveryInterval, this.globalQos, this.maxMessageSize, create, this.consumerTimeout);
	}

	/**
	 * These settings with another consumer timeout, the broker's {@code consumer_timeout}.
	 * @param timeout how long the broker lets a delivery stay unacknowledged
	 * @return the settings
	 */
	public RabbitBrokerSettings withConsumerTimeout(Duration timeout) {
		return new RabbitBrokerSettings(this.deadLetterQueue, this.delayExchange, this.confirmTimeout,
				this.recoveryInterval, this.globalQos, this.maxMessageSize, this.createMissingQueues, timeout);
	}

}
