package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Celery's events, under {@code taskqueue.events}: what a worker and a client publish on the {@code celeryev}
 * exchange for {@code celery events}, Flower and {@link dev.taskqueue.events.EventReceiver}s.
 * <pre>{@code
 * taskqueue:
 *   events:
 *     enabled: true        # celery worker -E
 *     task-sent: true      # task_send_sent_event
 * }</pre>
 */
@ConfigurationProperties("taskqueue.events")
public class TaskQueueEventsProperties {

	/**
	 * Whether the worker sends task events (task-received, task-started, task-succeeded, task-failed, ...) from
	 * the start: Celery's -E (worker_send_task_events). Celery's enable_events and disable_events commands (which
	 * Flower sends) switch them while it runs.
	 */
	private boolean enabled;

	/**
	 * Whether the client sends a task-sent event for each task it publishes (Celery's task_send_sent_event).
	 */
	private boolean taskSent;

	/**
	 * Whether a running worker sends worker-online, worker-heartbeat and worker-offline, as Celery's workers do
	 * even without -E (Celery's --without-heartbeat turns them off): how Celery's monitors know the worker is
	 * alive.
	 */
	private boolean workerEvents = true;

	/**
	 * How often a worker sends worker-heartbeat (Celery's heartbeat_interval). Monitors count a worker as offline
	 * when no heartbeat came for twice this.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(2);

	/**
	 * How many task events a worker sends together, in one task.multi message. Celery's worker sends what its
	 * event loop gathered, at most 24; a busy Java worker gathers more, and fewer messages cost less.
	 */
	private int bufferLimit = 64;

	/**
	 * How long a task event may wait for the others of its batch.
	 */
	private Duration flushInterval = Duration.ofMillis(100);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isTaskSent() {
		return this.taskSent;
	}

	public void setTaskSent(boolean taskSent) {
		this.taskSent = taskSent;
	}

	public boolean isWorkerEvents() {
		return this.workerEvents;
	}

	public void setWorkerEvents(boolean workerEvents) {
		this.workerEvents = workerEvents;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public int getBufferLimit() {
		return this.bufferLimit;
	}

	public void setBufferLimit(int bufferLimit) {
		this.bufferLimit = bufferLimit;
	}

	public Duration getFlushInterval() {
		return this.flushInterval;
	}

	public void setFlushInterval(Duration flushInterval) {
		this.flushInterval = flushInterval;
	}

}
