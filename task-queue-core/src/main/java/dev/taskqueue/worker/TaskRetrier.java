package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.serialization.TaskMessageConverter;

/**
 * Publishes a task's next run as Celery's {@code retry} does: the same id with one more retry and an eta,
 * back to the queue it came from, serialized and compressed as it arrived.
 */
class TaskRetrier {

	private final Broker broker;

	private final TaskMessageConverter converter;

	private final Clock clock;

	/**
	 * Create a retrier.
	 * @param broker where the next run is published
	 * @param converter how it is serialized
	 * @param clock the clock countdowns start from
	 */
	TaskRetrier(Broker broker, TaskMessageConverter converter, Clock clock) {
		this.broker = broker;
		this.converter = converter;
		this.clock = clock;
	}

	/**
	 * Publish the next run of a task.
	 * @param message the task's current message
	 * @param delivery how it was delivered
	 * @param countdown how long the next run waits
	 * @return the next run's message
	 */
	TaskMessage retry(TaskMessage message, Delivery delivery, Duration countdown) {
		Instant eta = this.clock.instant().plus(countdown);
		TaskMessage next = message.retried(eta);
		Envelope received = delivery.envelope();
		Object compression = received.headers().get(ProtocolHeaders.COMPRESSION);
		Envelope envelope = this.converter.toEnvelope(next, received.contentType(),
				(compression != null) ? compression.toString() : null, received.replyTo(), received.priority());
		// sent now, not when the first run was: the next run's wait starts here
		this.broker.publish(delivery.queue(), envelope.withHeader(ProtocolHeaders.SENT, this.clock.millis()));
		return next;
	}

}
