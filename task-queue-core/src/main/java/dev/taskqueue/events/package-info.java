/**
 * Celery's events ({@code -E}, {@code worker_send_task_events}, {@code task_send_sent_event}): the task and
 * worker events a worker publishes on the {@code celeryev} exchange, and a receiver for the cluster's events,
 * Celery's and ours, through a transport's {@link dev.taskqueue.events.EventTransport}.
 */
@NullMarked
package dev.taskqueue.events;

import org.jspecify.annotations.NullMarked;
