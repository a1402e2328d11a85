package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A task a worker is running now (a row of Celery's {@code celery inspect active}).
 *
 * @param id the task's id, as its message says, or {@code null} if the message has none
 * @param name the task's name, as its message says, or {@code null} if the message has none
 * @param queue the queue its message came from
 * @param startedAt when the worker's thread took it
 * @param runtime how long it has run so far
 */
public record ActiveTask(@Nullable String id, @Nullable String name, String queue, Instant startedAt,
		Duration runtime) {
}
