package dev.taskqueue.listener;

import java.util.List;

/**
 * A worker becoming ready or stopping (Celery's {@code worker_ready} and {@code worker_shutting_down}).
 *
 * @param worker the worker's name ({@code taskqueue.worker.name})
 * @param queues the queues it consumes
 * @param concurrency how many tasks it runs at once
 */
public record WorkerEvent(String worker, List<String> queues, int concurrency) {

	/**
	 * Copy the queues.
	 */
	public WorkerEvent {
		queues = List.copyOf(queues);
	}

}
