package dev.taskqueue.actuate.endpoint;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.registry.RetryPolicy;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.worker.ActiveTask;
import dev.taskqueue.worker.QueueOverview;
import dev.taskqueue.worker.WorkerSnapshot;

/**
 * What {@code GET /actuator/taskqueue} answers: the workers, the registered tasks, the queues and the revocations
 * in force. A part that could not be read (the broker is away) is left out and its reason given in
 * {@code errors}.
 *
 * @param workers what each worker does now (Celery's {@code inspect stats} and {@code inspect active})
 * @param tasks the registered tasks by name, with their settings (Celery's {@code inspect registered})
 * @param queues the default queue, the workers' queues, the tasks' queues and those with dead letters, by name
 * @param revoked the ids of the tasks revoked now (Celery's {@code inspect revoked}), or {@code null} if they could
 * not be read
 * @param errors why a part could not be read, by part
 * @param beat the beat: whether this application leads, who does, and each entry with its last and next run; or
 * {@code null} in an application that does not run it
 */
public record TaskQueueReport(List<Worker> workers, Map<String, Task> tasks, Map<String, Queue> queues,
		@Nullable Set<String> revoked, Map<String, String> errors, @Nullable BeatStatus beat)
		implements OperationResponseBody {

	/**
	 * What one worker does now.
	 *
	 * @param name its name ({@code taskqueue.worker.name})
	 * @param running whether it is started
	 * @param queues the queues it is configured to consume
	 * @param paused those whose consumption is paused
	 * @param consuming for each of its queues, whether a consumer is attached now
	 * @param concurrency how many tasks it runs at once
	 * @param prefetch how many messages it holds unacknowledged at most
	 * @param active the tasks it runs now, oldest first
	 */
	public record Worker(String name, boolean running, List<String> queues, List<String> paused,
			Map<String, Boolean> consuming, int concurrency, int prefetch, List<Active> active)
			implements OperationResponseBody {

		static Worker of(WorkerSnapshot worker) {
			return new Worker(worker.name(), worker.running(), worker.queues(),
					worker.pausedQueues().stream().sorted().toList(), new TreeMap<>(worker.consuming()),
					worker.concurrency(), worker.prefetch(), worker.active().stream().map(Active::of).toList());
		}

	}

	/**
	 * A task a worker runs now.
	 *
	 * @param id the task's id
	 * @param name the task's name
	 * @param queue the queue its message came from
	 * @param startedAt when it started (ISO-8601)
	 * @param runtime how long it has run, in seconds
	 */
	public record Active(@Nullable String id, @Nullable String name, String queue, String startedAt,
			double runtime) {

		static Active of(ActiveTask task) {
			return new Active(task.id(), task.name(), task.queue(), task.startedAt().toString(),
					seconds(task.runtime()));
		}

	}

	/**
	 * A registered task's settings: its {@code @Task} annotation overridden by {@code taskqueue.tasks.[name].*}.
	 * Settings left to the defaults are absent.
	 *
	 * @param method the bean method that runs it
	 * @param queue its own queue, if it has one (otherwise routes or the default queue decide)
	 * @param priority its priority
	 * @param acksLate whether its message is acknowledged after it ran (Celery's {@code acks_late})
	 * @param ignoreResult whether no result is stored
	 * @param trackStarted whether STARTED is stored
	 * @param serializer the serializer of its messages
	 * @param compression the compression of its messages
	 * @param expires seconds after sending that it expires
	 * @param rateLimit how often a worker may start it, as Celery writes it ({@code 10/s})
	 * @param timeLimit the hard time limit, in seconds
	 * @param softTimeLimit the soft time limit, in seconds
	 * @param retry when and how it is retried
	 */
	public record Task(String method, @Nullable String queue, @Nullable Integer priority, boolean acksLate,
			boolean ignoreResult, boolean trackStarted, @Nullable String serializer, @Nullable String compression,
			@Nullable Double expires, @Nullable String rateLimit, @Nullable Double timeLimit,
			@Nullable Double softTimeLimit, Retry retry) implements OperationResponseBody {

		static Task of(TaskDefinition task, boolean acksLateByDefault) {
			TaskOptions options = task.options();
			return new Task(task.describeMethod(), options.queue(), options.priority(),
					options.acksLate(acksLateByDefault), options.ignoresResult(), options.tracksStarted(),
					options.serializer(), options.compression(), secondsOrNull(options.expires()),
					rate(options.rateLimit()), secondsOrNull(options.timeLimit()), secondsOrNull(options.softTimeLimit()),
					Retry.of(options.retry()));
		}

		private static @Nullable String rate(@Nullable RateLimit limit) {
			return (limit != null) ? limit.text() : null;
		}

	}

	/**
	 * A task's retry policy (Celery's {@code autoretry_for}, {@code max_retries}, {@code default_retry_delay},
	 * {@code retry_backoff}, {@code retry_backoff_max}, {@code retry_jitter}).
	 *
	 * @param autoretryFor the exception types that retry it by themselves
	 * @param maxRetries how many retries before it fails
	 * @param delay the countdown of a retry without backoff, in seconds
	 * @param backoff the first exponential backoff, in seconds, or {@code null} for the fixed delay
	 * @param backoffMax the longest backoff, in seconds
	 * @param jitter whether a backoff is drawn at random up to its value
	 */
	public record Retry(List<String> autoretryFor, int maxRetries, @Nullable Double delay, @Nullable Double backoff,
			@Nullable Double backoffMax, @Nullable Boolean jitter) {

		static Retry of(RetryPolicy policy) {
			List<String> types = (policy.autoretryFor() != null)
					? policy.autoretryFor().stream().map(Class::getName).toList() : List.of();
			return new Retry(types, policy.retryLimit(), secondsOrNull(policy.delay()), secondsOrNull(policy.backoff()),
					secondsOrNull(policy.backoffMax()), policy.jitter());
		}

	}

	/**
	 * A queue.
	 *
	 * @param depth how many messages wait in it, ready to be delivered, or {@code null} if the broker cannot tell
	 * @param deadLetters how many of its messages were dead-lettered, or {@code null} if the broker keeps none
	 * @param consumed whether a worker of this application consumes it now
	 * @param error why it could not be read
	 */
	public record Queue(@Nullable Long depth, @Nullable Long deadLetters, boolean consumed, @Nullable String error)
			implements OperationResponseBody {

		static Queue of(QueueOverview.QueueStatus queue) {
			return new Queue(queue.depth(), queue.deadLetters(), queue.consumed(), queue.error());
		}

	}

	/**
	 * A dead letter, as {@code GET /actuator/taskqueue/deadletters/{queue}} lists it.
	 *
	 * @param id what addresses it, to redrive or purge it alone
	 * @param taskId the task's id, from its message
	 * @param task the task's name, from its message
	 * @param reason why it was dead-lettered
	 * @param rejectedAt when (ISO-8601)
	 */
	public record Letter(String id, @Nullable String taskId, @Nullable String task, String reason,
			String rejectedAt) {

		static Letter of(DeadLetter letter) {
			Object id = letter.envelope().headers().get(ProtocolHeaders.ID);
			String taskId = (id != null) ? id.toString() : letter.envelope().correlationId();
			return new Letter(letter.id(), taskId, letter.envelope().taskName(), letter.reason(),
					letter.rejectedAt().toString());
		}

	}

	/**
	 * The dead letters of a queue, oldest first.
	 *
	 * @param queue the queue they were rejected from
	 * @param count how many it has in all
	 * @param letters the oldest of them, up to the limit asked for
	 */
	public record Letters(String queue, long count, List<Letter> letters) implements OperationResponseBody {

		static Letters of(String queue, long count, List<DeadLetter> letters) {
			return new Letters(queue, count,
					letters.stream().sorted(Comparator.comparing(DeadLetter::rejectedAt)).map(Letter::of).toList());
		}

	}

	static @Nullable Double secondsOrNull(@Nullable Duration duration) {
		return (duration != null) ? seconds(duration) : null;
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1_000_000 / 1000.0;
	}

}
