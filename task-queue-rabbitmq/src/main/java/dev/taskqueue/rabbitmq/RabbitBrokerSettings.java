package dev.taskqueue.rabbitmq;

import java.time.Duration;

/**
 * How the RabbitMQ broker publishes, consumes, parks and dead-letters.
 *
 * @param deadLetterQueue the queue rejected messages are moved to
 * @param delayExchange the headers exchange deferred messages are parked through
 * @param confirmTimeout how long a publish waits for the broker's confirm
 * @param recoveryInterval how long a consumer waits between reconnection attempts
 * @param globalQos whether a consumer of several queues shares its prefetch among them (as Celery); quorum
 * queues refuse it, so it is off when a consumed queue is a quorum queue
 */
public record RabbitBrokerSettings(String deadLetterQueue, String delayExchange, Duration confirmTimeout,
		Duration recoveryInterval, boolean globalQos) {

	/**
	 * The defaults of {@code taskqueue.rabbitmq}.
	 * @return the settings
	 */
	public static RabbitBrokerSettings defaults() {
		return new RabbitBrokerSettings("taskqueue.dead-letter", "taskqueue.delay", Duration.ofSeconds(10),
				Duration.ofSeconds(1), true);
	}

}
