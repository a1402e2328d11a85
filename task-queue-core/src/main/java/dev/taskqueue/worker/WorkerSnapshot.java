package dev.taskqueue.worker;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one worker is doing now, for health and the Actuator endpoint (Celery's {@code celery inspect stats} and
 * {@code active} for one worker).
 *
 * @param name the worker's name
 * @param queues the queues it is configured to consume
 * @param pausedQueues those of its queues whose consuming is paused
 * @param consuming for each configured queue, whether a consumer is attached now (false when paused, stopped
 * or cut off from the broker)
 * @param concurrency how many tasks it runs at once
 * @param prefetch how many messages it holds unacknowledged at most
 * @param running whether it is started
 * @param active the tasks running now, oldest first
 */
public record WorkerSnapshot(String name, List<String> queues, Set<String> pausedQueues,
		Map<String, Boolean> consuming, int concurrency, int prefetch, boolean running, List<ActiveTask> active) {

	/**
	 * Copy the collections.
	 */
	public WorkerSnapshot {
		queues = List.copyOf(queues);
		pausedQueues = Set.copyOf(pausedQueues);
		consuming = Map.copyOf(consuming);
		active = List.copyOf(active);
	}

	/**
	 * Whether every configured queue that is not paused has a consumer attached: a worker that is running but
	 * lost its consumers (the broker is away) is not.
	 * @return whether it consumes all it should
	 */
	public boolean isConsumingAll() {
		return this.running && this.queues.stream()
			.allMatch((queue) -> this.pausedQueues.contains(queue) || Boolean.TRUE.equals(this.consuming.get(queue)));
	}

}
