package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

/**
 * How a worker consumes.
 *
 * @param name the worker's name, used for its threads and logs
 * @param queues the queues it consumes
 * @param concurrency how many tasks it runs at once
 * @param prefetch how many messages it holds unacknowledged at once, running or waiting
 * @param shutdownTimeout how long running tasks may take to finish when the worker stops
 */
public record WorkerSettings(String name, List<String> queues, int concurrency, int prefetch, Duration shutdownTimeout) {

	/**
	 * Check the settings.
	 */
	public WorkerSettings {
		queues = List.copyOf(queues);
		if (queues.isEmpty()) {
			throw new IllegalArgumentException("a worker needs at least one queue");
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
		}
		if (prefetch < concurrency) {
			throw new IllegalArgumentException("prefetch (" + prefetch + ") must be at least the concurrency ("
					+ concurrency + ")");
		}
	}

}
