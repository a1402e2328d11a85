package dev.taskqueue.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.control.ControlOptions;
import dev.taskqueue.control.QueueInfo;
import dev.taskqueue.control.Replies;
import dev.taskqueue.control.ScheduledTask;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.control.TaskInfo;
import dev.taskqueue.control.WorkerStats;

/**
 * What Celery's remote control tells of the workers, as the pages need it: the queues each consumes and its
 * concurrency (Celery's {@code inspect active_queues} and {@code stats}), asked of the whole fleet at most once per
 * few seconds; and one worker's tasks and registered names ({@code inspect active}, {@code reserved},
 * {@code scheduled}, {@code registered}), asked when its page is opened. Each question waits a short timeout; a
 * worker that does not answer is shown as such, never as an error page.
 */
final class RemoteWorkers {

	private final TaskControl control;

	private final Duration timeout;

	private final Duration cacheFor;

	private final Clock clock;

	private @Nullable Fleet fleet;

	private Instant fleetAt = Instant.MIN;

	RemoteWorkers(TaskControl control, Duration timeout, Duration cacheFor, Clock clock) {
		this.control = control;
		this.timeout = timeout;
		this.cacheFor = cacheFor;
		this.clock = clock;
	}

	/**
	 * The fleet's queues and concurrency, at most {@code cacheFor} old.
	 * @param expected how many workers are online: the replies are awaited until that many came
	 * @return what the workers answered
	 */
	synchronized Fleet fleet(int expected) {
		Instant now = this.clock.instant();
		if (this.fleet != null && now.isBefore(this.fleetAt.plus(this.cacheFor))) {
			return this.fleet;
		}
		this.fleet = askFleet(expected);
		this.fleetAt = now;
		return this.fleet;
	}

	private Fleet askFleet(int expected) {
		if (expected < 1) {
			return new Fleet(Map.of(), Map.of(), null);
		}
		ControlOptions options = ControlOptions.defaults().withTimeout(this.timeout).withLimit(expected);
		try {
			Replies<List<QueueInfo>> queues = this.control.inspect(options).activeQueues();
			Replies<WorkerStats> stats = this.control.inspect(options).stats();
			Map<String, List<String>> names = new TreeMap<>();
			queues.values().forEach((worker, infos) -> names.put(worker, infos.stream().map(QueueInfo::name).toList()));
			Map<String, Long> concurrency = new TreeMap<>();
			stats.values().forEach((worker, stat) -> {
				if (stat.maxConcurrency() != null) {
					concurrency.put(worker, stat.maxConcurrency());
				}
			});
			return new Fleet(names, concurrency, null);
		}
		catch (RuntimeException ex) {
			return new Fleet(Map.of(), Map.of(), reason(ex));
		}
	}

	/**
	 * Ask one worker what it holds.
	 * @param worker its node name
	 * @return its answers, or that it did not answer
	 */
	Inspection inspect(String worker) {
		ControlOptions options = ControlOptions.defaults().withDestination(worker).withTimeout(this.timeout);
		try {
			List<TaskInfo> active = answer(worker, () -> this.control.inspect(options).active());
			if (active == null) {
				return Inspection.noReply(null);
			}
			return new Inspection(true, active,
					orEmpty(answer(worker, () -> this.control.inspect(options).reserved())),
					orEmpty(answer(worker, () -> this.control.inspect(options).scheduled())),
					orEmpty(answer(worker, () -> this.control.inspect(options).registered())),
					orEmpty(answer(worker, () -> this.control.inspect(options).activeQueues()))
						.stream()
						.map(QueueInfo::name)
						.toList(),
					null);
		}
		catch (RuntimeException ex) {
			return Inspection.noReply(reason(ex));
		}
	}

	private static <T> @Nullable T answer(String worker, Supplier<Replies<T>> question) {
		return question.get().get(worker);
	}

	private static <T> List<T> orEmpty(@Nullable List<T> list) {
		return (list != null) ? list : List.of();
	}

	static String reason(RuntimeException ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/**
	 * The fleet as remote control answered.
	 *
	 * @param queues the queues each worker consumes, by node name
	 * @param concurrency each worker's pool size, by node name
	 * @param error why nothing could be asked (no remote control, the broker is away), or {@code null}
	 */
	record Fleet(Map<String, List<String>> queues, Map<String, Long> concurrency, @Nullable String error) {

		/**
		 * How many workers consume a queue.
		 */
		long consumers(String queue) {
			return this.queues.values().stream().filter((names) -> names.contains(queue)).count();
		}

	}

	/**
	 * One worker's answers.
	 *
	 * @param replied whether it answered
	 * @param active the tasks it runs
	 * @param reserved the tasks it holds, waiting for a slot
	 * @param scheduled the tasks it holds until their eta
	 * @param registered the names of the tasks it can run
	 * @param queues the queues it consumes
	 * @param error why it could not be asked, or {@code null}
	 */
	record Inspection(boolean replied, List<TaskInfo> active, List<TaskInfo> reserved, List<ScheduledTask> scheduled,
			List<String> registered, List<String> queues, @Nullable String error) {

		static Inspection noReply(@Nullable String error) {
			return new Inspection(false, List.of(), List.of(), List.of(), List.of(), List.of(), error);
		}

	}

}
