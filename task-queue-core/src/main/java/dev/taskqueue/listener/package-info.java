/**
 * The task lifecycle, as Celery's signals have it: a {@link dev.taskqueue.listener.TaskListener} is told of each
 * publish, receipt, run and outcome of a task, and of workers becoming ready and stopping. Metrics, tracing,
 * events and applications' own hooks all listen to the same moments. {@link dev.taskqueue.listener.TaskListeners}
 * calls a list of listeners in order and keeps a listener that throws from failing the task or the worker.
 * Knows the protocol, nothing of the worker or the client.
 */
@NullMarked
package dev.taskqueue.listener;

import org.jspecify.annotations.NullMarked;
