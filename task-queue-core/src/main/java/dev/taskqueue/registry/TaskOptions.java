package dev.taskqueue.registry;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;


import dev.taskqueue.Task;

/**
 * A task's own settings: from its {@link Task @Task} annotation, overridden by
 * {@code taskqueue.tasks.[name].*}. Every field may be {@code null} for "not set".
 *
 * @param queue the task's queue
 * @param priority the task's priority
 * @param acks when its message is acknowledged ({@code null} or DEFAULT for the worker's default)
 * @param ignoreResult whether no result is stored
 * @param trackStarted whether STARTED is stored
 * @param serializer the serializer of its messages
 * @param compression the compression of its messages
 * @param expires how long after sending it expires
 * @param retry when and how it is retried
 * @param timeLimit the hard time limit: the task is abandoned and fails after it
 * @param softTimeLimit the soft time limit: the task's thread is interrupted after it
 * @param rateLimit how often a worker may start the task
 */
public record TaskOptions(@Nullable String queue, @Nullable Integer priority, Task.@Nullable Acks acks,
		@Nullable Boolean ignoreResult, @Nullable Boolean trackStarted, @Nullable String serializer,
		@Nullable String compression, @Nullable Duration expires, RetryPolicy retry, @Nullable Duration timeLimit,
		@Nullable Duration softTimeLimit, @Nullable RateLimit rateLimit) {

	/** Nothing set. */
	public static final TaskOptions DEFAULTS = new TaskOptions(null, null, null, null, null, null, null, null,
			RetryPolicy.DEFAULTS, null, null, null);

	/**
	 * Normalize the settings.
	 */
	public TaskOptions {
		retry = (retry != null) ? retry : RetryPolicy.DEFAULTS;
	}

	/**
	 * Settings without a retry policy.
	 * @param queue the task's queue
	 * @param priority the task's priority
	 * @param acks when its message is acknowledged
	 * @param ignoreResult whether no result is stored
	 * @param trackStarted whether STARTED is stored
	 * @param serializer the serializer of its messages
	 * @param compression the compression of its messages
	 * @param expires how long after sending it expires
	 */
	public TaskOptions(@Nullable String queue, @Nullable Integer priority, Task.@Nullable Acks acks,
			@Nullable Boolean ignoreResult, @Nullable Boolean trackStarted, @Nullable String serializer,
			@Nullable String compression, @Nullable Duration expires) {
		this(queue, priority, acks, ignoreResult, trackStarted, serializer, compression, expires, null, null, null,
				null);
	}

	/**
	 * The settings an annotation declares.
	 * @param task the annotation
	 * @return the settings
	 */
	public static TaskOptions of(Task task) {
		return new TaskOptions(emptyToNull(task.queue()), (task.priority() < 0) ? null : task.priority(),
				(task.acks() != Task.Acks.DEFAULT) ? task.acks() : null, task.ignoreResult() ? true : null,
				task.trackStarted() ? true : null, emptyToNull(task.serializer()), emptyToNull(task.compression()),
				duration(task.expires()), retryPolicy(task), duration(task.timeLimit()), duration(task.softTimeLimit()),
				task.rateLimit().isEmpty() ? null : RateLimit.parse(task.rateLimit()));
	}

	private static RetryPolicy retryPolicy(Task task) {
		return new RetryPolicy((task.autoretryFor().length > 0) ? List.of(task.autoretryFor()) : null,
				(task.maxRetries() >= 0) ? task.maxRetries() : null, duration(task.retryDelay()),
				duration(task.retryBackoff()), duration(task.retryBackoffMax()), task.retryJitter() ? null : false,
				task.onRetriesExhausted());
	}

	private static @Nullable Duration duration(String text) {
		return text.isEmpty() ? null : DurationText.parse(text);
	}

	/**
	 * These settings with every one the other sets replacing this one's.
	 * @param other the settings that win
	 * @return the merged settings
	 */
	public TaskOptions overriddenBy(TaskOptions other) {
		return new TaskOptions(pick(other.queue, this.queue), pick(other.priority, this.priority),
				pick(other.acks, this.acks), pick(other.ignoreResult, this.ignoreResult),
				pick(other.trackStarted, this.trackStarted), pick(other.serializer, this.serializer),
				pick(other.compression, this.compression), pick(other.expires, this.expires),
				this.retry.overriddenBy(other.retry), pick(other.timeLimit, this.timeLimit),
				pick(other.softTimeLimit, this.softTimeLimit), pick(other.rateLimit, this.rateLimit));
	}

	/**
	 * These settings with another rate limit, or none: what Celery's {@code rate_limit} remote-control command
	 * changes at run time.
	 * @param limit the new limit, or {@code null} for none
	 * @return the changed settings
	 */
	public TaskOptions withRateLimit(@Nullable RateLimit limit) {
		return new TaskOptions(this.queue, this.priority, this.acks, this.ignoreResult, this.trackStarted,
				this.serializer, this.compression, this.expires, this.retry, this.timeLimit, this.softTimeLimit, limit);
	}

	/**
	 * These settings with other time limits, or none: what Celery's {@code time_limit} remote-control command
	 * changes at run time.
	 * @param soft the new soft time limit, or {@code null} for none
	 * @param hard the new hard time limit, or {@code null} for none
	 * @return the changed settings
	 */
	public TaskOptions withTimeLimits(@Nullable Duration soft, @Nullable Duration hard) {
		return new TaskOptions(this.queue, this.priority, this.acks, this.ignoreResult, this.trackStarted,
				this.serializer, this.compression, this.expires, this.retry, hard, soft, this.rateLimit);
	}

	/**
	 * Whether the message is acknowledged after the task has run.
	 * @param lateByDefault the worker's default ({@code taskqueue.worker.acks-late})
	 * @return {@code true} for late acknowledgement
	 */
	public boolean acksLate(boolean lateByDefault) {
		if (this.acks == null) {
			return lateByDefault;
		}
		return switch (this.acks) {
			case LATE -> true;
			case EARLY -> false;
			case DEFAULT -> lateByDefault;
		};
	}

	/**
	 * Whether no result is stored.
	 * @return {@code true} if set so
	 */
	public boolean ignoresResult() {
		return Boolean.TRUE.equals(this.ignoreResult);
	}

	/**
	 * Whether STARTED is stored.
	 * @return {@code true} if set so
	 */
	public boolean tracksStarted() {
		return Boolean.TRUE.equals(this.trackStarted);
	}

	private static @Nullable String emptyToNull(String value) {
		return value.isEmpty() ? null : value;
	}

	private static <T> @Nullable T pick(@Nullable T preferred, @Nullable T fallback) {
		return (preferred != null) ? preferred : fallback;
	}

}
