/**
 * Celery's events ({@code celeryev}; Celery's {@code -E}, {@code worker_send_task_events},
 * {@code task_send_sent_event}), so that Celery's monitors ({@code celery events}, Flower) see this library's
 * workers and tasks, and an application sees the cluster's:
 * <ul>
 * <li>{@link dev.taskqueue.events.EventDispatcher} (Celery's {@code EventDispatcher}) stamps and sends events,
 * batching a worker's task events as {@code task.multi}, on a thread of its own;</li>
 * <li>{@link dev.taskqueue.events.TaskEventsListener} turns the task lifecycle ({@link dev.taskqueue.listener})
 * into task events, {@link dev.taskqueue.events.WorkerHeartbeat} (Celery's {@code Heart}) sends the worker's
 * online, heartbeat and offline events;</li>
 * <li>{@link dev.taskqueue.events.EventReceiver} (Celery's {@code EventReceiver}) receives
 * {@link dev.taskqueue.events.CeleryEvent}s, Celery's and ours;</li>
 * <li>the remote-control commands {@code enable_events}, {@code disable_events} and {@code heartbeat};</li>
 * <li>the {@link dev.taskqueue.events.EventTransport} SPI, by which a broker carries them, with
 * {@link dev.taskqueue.events.InMemoryEventTransport} for the in-memory broker.</li>
 * </ul>
 * Knows the lifecycle, the protocol and the remote-control SPI; never a transport.
 */
@NullMarked
package dev.taskqueue.events;

import org.jspecify.annotations.NullMarked;
