package dev.taskqueue.broker;

import java.time.Instant;
import java.util.UUID;

import dev.taskqueue.protocol.Envelope;

/**
 * A message that could not be processed, kept intact with the reason.
 *
 * @param queue the queue it was delivered from
 * @param envelope the message as it was received
 * @param reason why it could not be processed
 * @param rejectedAt when it was rejected
 * @param id the handle that addresses this dead letter in a {@link DeadLetterQueue}
 */
public record DeadLetter(String queue, Envelope envelope, String reason, Instant rejectedAt, String id) {

	/**
	 * Create a dead letter with a fresh random id.
	 * @param queue the queue it was delivered from
	 * @param envelope the message as it was received
	 * @param reason why it could not be processed
	 * @param rejectedAt when it was rejected
	 */
	public DeadLetter(String queue, Envelope envelope, String reason, Instant rejectedAt) {
		this(queue, envelope, reason, rejectedAt, UUID.randomUUID().toString());
	}

}
