package dev.taskqueue.broker;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

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
	 * Why the broker could not read the message it received into a whole envelope, if it could not: the
	 * envelope then holds what could be read of it (its headers, the task id) and an empty body, so that the
	 * worker stores FAILURE for the task id and rejects the message, which reaches the dead letters as it was
	 * received.
	 * @return the reason, or {@code null} for a message read whole (always, by default)
	 */
	default @Nullable String unreadable() {
		return null;
	}

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

	/**
	 * The task this message carries starts running now. A transport whose broker takes back a delivery left
	 * unacknowledged too long (RabbitMQ's {@code consumer_timeout}) may hand the message over before then
	 * (see {@link #isGuard()}); by default nothing happens.
	 * @param hardLimit the task's hard time limit, or {@code null} for none
	 */
	default void started(@Nullable Duration hardLimit) {
	}

	/**
	 * Whether this message is a guard: a copy a transport parked when it handed over a long-running task's
	 * message, come due when that task should have ended. The worker runs it only if the task has no final
	 * result (its worker died before finishing it).
	 * @return {@code true} for a guard ({@code false} by default)
	 */
	default boolean isGuard() {
		return false;
	}

}
