package dev.taskqueue.dashboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.state.ObservedTask;
import dev.taskqueue.events.state.ObservedWorker;

/**
 * The cells of a task's and a worker's row, as text: the same for the page and for the live stream, so that the
 * script writes exactly what the server would have rendered. Each key is the class of its cell ({@code td.state}).
 */
final class Rows {

	/** The columns of {@code table#tasks}, in order. */
	static final List<String> TASK_COLUMNS = List.of("id", "name", "state", "worker", "received", "started",
			"runtime");

	/** The columns of {@code table#workers}, in order. */
	static final List<String> WORKER_COLUMNS = List.of("name", "status", "software", "queues", "concurrency",
			"active", "processed", "load", "heartbeat");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private Rows() {
	}

	/**
	 * A task's row.
	 * @param task the task
	 * @return its cells by column
	 */
	static Map<String, String> task(ObservedTask task) {
		Map<String, String> row = new LinkedHashMap<>();
		row.put("id", task.id());
		row.put("name", orEmpty(task.name()));
		row.put("state", task.state());
		row.put("worker", orEmpty(task.worker()));
		row.put("received", time(task.received()));
		row.put("started", time(task.started()));
		row.put("runtime", runtime(task.runtime()));
		return row;
	}

	/**
	 * A worker's row, without what remote control tells ({@code queues}, {@code concurrency}).
	 * @param worker the worker
	 * @return its cells by column
	 */
	static Map<String, String> worker(ObservedWorker worker) {
		Map<String, String> row = new LinkedHashMap<>();
		row.put("name", worker.hostname());
		row.put("status", worker.online() ? "online" : "offline");
		row.put("software", worker.software());
		row.put("active", Integer.toString(worker.active()));
		row.put("processed", Long.toString(worker.processed()));
		row.put("load", worker.loadAverage()
			.stream()
			.map((load) -> String.format(Locale.ROOT, "%.2f", load))
			.collect(Collectors.joining(" ")));
		row.put("heartbeat", time(worker.lastHeartbeat()));
		return row;
	}

	/**
	 * An instant as the pages show it, in UTC to the second.
	 * @param instant the instant, or {@code null}
	 * @return the text, empty for {@code null}
	 */
	static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

	/**
	 * A run time in seconds, as Celery's events give it.
	 * @param seconds the run time, or {@code null}
	 * @return {@code 0.125 s}, or empty
	 */
	static String runtime(@Nullable Double seconds) {
		return (seconds != null) ? String.format(Locale.ROOT, "%.3f s", seconds) : "";
	}

	static String orEmpty(@Nullable String text) {
		return (text != null) ? text : "";
	}

}
