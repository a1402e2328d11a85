package dev.taskqueue.control.panel;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.taskqueue.worker.Workers;

/**
 * The size of a worker's pool, as Celery's {@code pool_grow} and {@code pool_shrink} change it: the first worker
 * group gains or loses threads, and its prefetch follows in proportion.
 */
final class PoolSize {

	private final Workers workers;

	PoolSize(Workers workers) {
		this.workers = workers;
	}

	List<Command> commands() {
		return List.of(Command.control("pool_grow", (arguments) -> resize(arguments, 1, "pool will grow")),
				Command.control("pool_shrink", (arguments) -> resize(arguments, -1, "pool will shrink")));
	}

	private Map<String, Object> resize(JsonNode arguments, int direction, String reply) {
		int n = Arguments.integer(arguments, "n", 1);
		if (n < 1) {
			throw new IllegalArgumentException("n must be at least 1, was " + n);
		}
		this.workers.resizePool(direction * n);
		return Reply.ok(reply);
	}

}
