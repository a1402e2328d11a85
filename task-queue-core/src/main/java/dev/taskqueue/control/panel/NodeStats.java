package dev.taskqueue.control.panel;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.worker.WorkerSnapshot;
import dev.taskqueue.worker.Workers;

/**
 * A worker's statistics in the shape of Celery's {@code stats} ({@code celery inspect stats}, Flower's worker
 * page): the tasks run by name, the process, the logical clock, the uptime, the pool, the broker, the prefetch
 * count and the resource usage. The pool is described as Celery's thread pool ({@code max-concurrency},
 * {@code threads}) and, for the tools that read the prefork pool's keys, with the one process all its threads
 * run in.
 */
final class NodeStats {

	private final Workers workers;

	private final LamportClock clock;

	private final Map<String, @Nullable Object> broker;

	private final long pid;

	NodeStats(Workers workers, LamportClock clock, Map<String, @Nullable Object> broker, long pid) {
		this.workers = workers;
		this.clock = clock;
		this.broker = broker;
		this.pid = pid;
	}

	Command command() {
		return Command.inspect("stats", this::stats);
	}

	private Map<String, Object> stats(JsonNode arguments) {
		List<WorkerSnapshot> snapshots = this.workers.snapshot();
		int concurrency = snapshots.stream().mapToInt(WorkerSnapshot::concurrency).sum();
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("total", this.workers.totals());
		stats.put("pid", this.pid);
		// Celery writes its clock as a string here
		stats.put("clock", String.valueOf(this.clock.value()));
		stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
		Map<String, Object> pool = new LinkedHashMap<>();
		pool.put("max-concurrency", concurrency);
		pool.put("threads", concurrency);
		pool.put("processes", List.of(this.pid));
		pool.put("max-tasks-per-child", "N/A");
		pool.put("put-guarded-by-semaphore", false);
		pool.put("timeouts", List.of(0, 0));
		stats.put("pool", pool);
		stats.put("broker", this.broker);
		stats.put("prefetch_count", snapshots.stream().mapToInt(WorkerSnapshot::prefetch).sum());
		stats.put("rusage", ProcessUsage.read());
		return stats;
	}

}
