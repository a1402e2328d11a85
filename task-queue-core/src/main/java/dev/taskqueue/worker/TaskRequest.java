package dev.taskqueue.worker;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.TaskMessage;

/**
 * A message a worker holds: running (Celery's {@code inspect active}) or received and waiting for a thread or for
 * its rate limit ({@code inspect reserved}). Celery calls it a {@code Request}.
 *
 * @param id the task's id, as its message says, or {@code null} if the message has none
 * @param name the task's name, as its message says, or {@code null} if the message has none
 * @param queue the queue its message came from
 * @param priority the message's priority
 * @param redelivered whether the broker delivered the message before
 * @param acknowledged whether the message is acknowledged already (early acks, Celery's default)
 * @param startedAt when a thread took it, or {@code null} while it waits
 * @param message the message decoded, with its arguments, or {@code null} if it cannot be decoded
 */
public record TaskRequest(@Nullable String id, @Nullable String name, String queue, int priority,
		boolean redelivered, boolean acknowledged, @Nullable Instant startedAt, @Nullable TaskMessage message) {

	/**
	 * Whether it runs now, rather than waits.
	 * @return {@code true} once a thread took it
	 */
	public boolean isActive() {
		return this.startedAt != null;
	}

}
