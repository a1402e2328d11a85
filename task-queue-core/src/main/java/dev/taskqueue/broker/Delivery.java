package dev.taskqueue.broker;

import java.time.Instant;

import dev.taskqueue.protocol.Envelope;

/**
 * One message handed to a consumer, to be settled exactly once: acknowledged, requeued, rejected to the
 * dead letters, or deferred. Settling twice is ignored, so a late ack after a shutdown requeue is harmless.
 */
public interface Delivery {

	/**
	 * The message.
	 * @return the envelope
	 */
	Envelope envelope();

	/**
	 * The queue it came from.
	 * @return the queue name
	 */
	String queue();

	/**
	 * Whether the broker delivered this message before.
	 * @return {@code true} if redelivered
	 */
	boolean redelivered();

	/**
	 * Whether the delivery has been settled (acknowledged, requeued, rejected or deferred).
	 * @return {@code true} once settled
	 */
	boolean isSettled();

	/**
	 * Done with the message: the broker forgets it.
	 */
	void ack();

	/**
	 * Give the message back, to be delivered again.
	 */
	void requeue();

	/**
	 * The message cannot be processed: move it, intact, to the dead letters with the reason.
	 * @param reason why, for the operator
	 */
	void reject(String reason);

	/**
	 * The message must not run before {@code due}: park it in the broker, out of every worker's prefetch,
	 * and deliver it again when due.
	 * @param due when to deliver it again
	 */
	void deferUntil(Instant due);

}
