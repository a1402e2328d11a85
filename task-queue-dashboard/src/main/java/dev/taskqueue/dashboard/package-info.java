/**
 * The dashboard: a Flower-like web UI that the application serves itself (Spring MVC or WebFlux functional routes
 * under a configurable path), reading the cluster as its events show it
 * ({@link dev.taskqueue.events.state.ClusterState}), the broker's queues and dead letters
 * ({@link dev.taskqueue.worker.QueueOverview}), the beat and Celery's remote control
 * ({@link dev.taskqueue.control.TaskControl}).
 * <p>
 * Public: {@link dev.taskqueue.dashboard.TaskQueueDashboard} (the pages and actions, made by a builder, whatever
 * the web stack), {@link dev.taskqueue.dashboard.WebMvcDashboardRoutes} and
 * {@link dev.taskqueue.dashboard.WebFluxDashboardRoutes} (the router function of each web stack),
 * {@link dev.taskqueue.dashboard.DashboardStreams} (the live updates, server-sent events pushed by one thread) and
 * {@link dev.taskqueue.dashboard.ClusterFeed} (feeds the cluster state from the events and keeps Celery's workers
 * sending task events), which the auto-configuration wires. The pages are written by a small escaping HTML writer
 * of our own ({@code Html}); everything else is package-private.
 */
@NullMarked
package dev.taskqueue.dashboard;

import org.jspecify.annotations.NullMarked;
