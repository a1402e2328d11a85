package dev.taskqueue.actuate.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.taskqueue.worker.WorkerSnapshot;
import dev.taskqueue.worker.Workers;

/**
 * The {@code workers} entry of {@code taskQueue}, one detail per worker (Celery's {@code celery inspect stats}
 * in short): whether it runs, whether each of its queues has a consumer attached now, its paused queues, its
 * concurrency and prefetch, and how many tasks it runs now ({@code active}).
 * <ul>
 * <li>UP: every worker runs and consumes each of its queues that is not paused.</li>
 * <li>DOWN: a running worker has lost the consumer of a queue it should consume (its broker is away); it comes
 * back UP on its own once the broker returns and the consumer is attached again.</li>
 * <li>OUT_OF_SERVICE: the workers are shutting down, or stopped: their consumers are gone on purpose.</li>
 * </ul>
 * Reads the workers' own state only, never the broker.
 */
public class WorkersHealthIndicator implements HealthIndicator {

	private final Workers workers;

	private final WorkersShutdown shutdown;

	/**
	 * Create the indicator.
	 * @param workers the application's workers
	 * @param shutdown whether they are shutting down
	 */
	public WorkersHealthIndicator(Workers workers, WorkersShutdown shutdown) {
		this.workers = workers;
		this.shutdown = shutdown;
	}

	@Override
	public Health health() {
		List<WorkerSnapshot> snapshots = this.workers.snapshot();
		boolean shuttingDown = this.shutdown.isShuttingDown();
		Health.Builder health = Health.status(status(snapshots, shuttingDown));
		if (shuttingDown) {
			health.withDetail("shuttingDown", true);
		}
		for (WorkerSnapshot worker : snapshots) {
			health.withDetail(worker.name(), details(worker));
		}
		return health.build();
	}

	static Status status(List<WorkerSnapshot> workers, boolean shuttingDown) {
		if (shuttingDown || workers.stream().anyMatch((worker) -> !worker.running())) {
			return Status.OUT_OF_SERVICE;
		}
		return workers.stream().allMatch(WorkerSnapshot::isConsumingAll) ? Status.UP : Status.DOWN;
	}

	private static Map<String, Object> details(WorkerSnapshot worker) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("running", worker.running());
		details.put("consuming", new TreeMap<>(worker.consuming()));
		if (!worker.pausedQueues().isEmpty()) {
			details.put("paused", worker.pausedQueues().stream().sorted().toList());
		}
		details.put("concurrency", worker.concurrency());
		details.put("prefetch", worker.prefetch());
		details.put("active", worker.active().size());
		return details;
	}

}
