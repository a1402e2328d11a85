/**
 * Micrometer metrics and tracing of tasks, built on the {@link dev.taskqueue.listener.TaskListener} lifecycle:
 * {@link dev.taskqueue.micrometer.TaskMetricsListener} counts and times tasks ({@code taskqueue.tasks.*}),
 * {@link dev.taskqueue.micrometer.QueueMetrics} reads queue depths and dead letters from the broker for gauges,
 * at most once per refresh interval, and {@link dev.taskqueue.micrometer.ObservationTaskListener} observes each
 * publish and each run, so that with tracing a send and the run it causes are one trace (W3C {@code traceparent}
 * in the message headers, as OpenTelemetry's Celery instrumentation puts it). Micrometer is an optional
 * dependency: nothing outside this package (and the auto-configuration) refers to it. Knows the listener SPI, the
 * registry (to bound tag values), the broker SPI and the protocol's header names; nothing of the worker or the
 * client.
 */
@NullMarked
package dev.taskqueue.micrometer;

import org.jspecify.annotations.NullMarked;
