package dev.taskqueue.broker;

import java.time.Instant;

import dev.taskqueue.protocol.Envelope;

/**
 * A message that could not be processed, kept intact with the reason.
 *
 * @param queue the queue it was delivered from
 * @param envelope the message as it was received
 * @param reason why it could not be processed
 * @param rejectedAt when it was rejected
 */
public record DeadLetter(String queue, Envelope envelope, String reason, Instant rejectedAt) {
}
