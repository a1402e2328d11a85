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
 */
public record RabbitBrokerSettings(String deadLetterQueue, String delayExchange, Duration confirmTimeout,
		Duration recoveryInterval, boolean globalQos, int maxMessageSize, boolean createMissingQueues) {

	/**
	 * Check the settings.
	 */
	public RabbitBrokerSettings {
		if (maxMessageSize < 1) {
			throw new IllegalArgumentException("the maximum message size must be positive, was " + maxMessageSize);
		}
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
				this.recoveryInterval, this.globalQos, maxMessageSize, this.createMissingQueues);
	}

	/**
	 * These settings, creating missing queues on first send or not.
	 * @param create {@code false} for a send to a queue that does not exist to fail with {@code NO_ROUTE}
	 * @return the settings
	 */
	public RabbitBrokerSettings withCreateMissingQueues(boolean create) {
		return new RabbitBrokerSettings(this.deadLetterQueue, this.delayExchange, this.confirmTimeout,
				this.recoveryInterval, this.globalQos, this.maxMessageSize, create);
	}

}
