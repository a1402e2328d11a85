/**
 * The {@code taskqueue} actuator endpoint ({@link dev.taskqueue.actuate.endpoint.TaskQueueEndpoint}): what the
 * workers do, the registered tasks and their settings, the queues' depths and dead letters, the revocations in
 * force (Celery's {@code celery inspect} and {@code celery purge}), and, when its access is unrestricted, revoking
 * a task, redriving or purging dead letters, purging a queue and pausing or resuming its consumption (Celery's
 * {@code celery control}). {@link dev.taskqueue.actuate.endpoint.TaskQueueEndpointWebExtension} answers its
 * writes over HTTP with a status that says what went wrong. Wired by {@code TaskQueueEndpointAutoConfiguration}.
 */
@NullMarked
package dev.taskqueue.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
