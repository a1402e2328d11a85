package dev.taskqueue.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.Task;

/**
 * When and how a task is retried, as Celery's {@code autoretry_for}, {@code max_retries},
 * {@code default_retry_delay}, {@code retry_backoff}, {@code retry_backoff_max} and {@code retry_jitter}.
 * Every field may be {@code null} for "not set", which means Celery's default.
 *
 * @param autoretryFor exception types that retry instead of failing
 * @param maxRetries retries before the task fails (default 3)
 * @param delay the countdown of a retry without backoff (default 3 minutes)
 * @param backoff the first exponential backoff, or {@code null} for the fixed delay
 * @param backoffMax the longest backoff (default 10 minutes)
 * @param jitter whether a backoff is drawn at random up to its value (default true)
 * @param onExhausted what becomes of the message once retries are used up (default: the worker's)
 */
public record RetryPolicy(@Nullable List<Class<? extends Throwable>> autoretryFor, @Nullable Integer maxRetries,
		@Nullable Duration delay, @Nullable Duration backoff, @Nullable Duration backoffMax, @Nullable Boolean jitter,
		Task.@Nullable RetriesExhausted onExhausted) {

	/** Nothing set: Celery's defaults, and no automatic retry. */
	public static final RetryPolicy DEFAULTS = new RetryPolicy(null, null, null, null, null, null);

	/**
	 * Normalize the policy.
	 */
	public RetryPolicy {
		onExhausted = (onExhausted != Task.RetriesExhausted.DEFAULT) ? onExhausted : null;
	}

	/**
	 * A policy that leaves what becomes of an exhausted task's message to the worker.
	 * @param autoretryFor exception types that retry instead of failing
	 * @param maxRetries retries before the task fails (default 3)
	 * @param delay the countdown of a retry without backoff (default 3 minutes)
	 * @param backoff the first exponential backoff, or {@code null} for the fixed delay
	 * @param backoffMax the longest backoff (default 10 minutes)
	 * @param jitter whether a backoff is drawn at random up to its value (default true)
	 */
	public RetryPolicy(@Nullable List<Class<? extends Throwable>> autoretryFor, @Nullable Integer maxRetries,
			@Nullable Duration delay, @Nullable Duration backoff, @Nullable Duration backoffMax,
			@Nullable Boolean jitter) {
		this(autoretryFor, maxRetries, delay, backoff, backoffMax, jitter, null);
	}

	/**
	 * Whether an exception retries the task by itself.
	 * @param error what the task threw
	 * @return {@code true} if it is one of {@link #autoretryFor()}
	 */
	public boolean retriesOn(Throwable error) {
		return this.autoretryFor != null && this.autoretryFor.stream().anyMatch((type) -> type.isInstance(error));
	}

	/**
	 * The retries allowed.
	 * @return the limit
	 */
	public int retryLimit() {
		return (this.maxRetries != null) ? this.maxRetries : 3;
	}

	/**
	 * Whether the message of a task whose retries are used up goes to the dead letters.
	 * @param byDefault the worker's default ({@code taskqueue.worker.on-retries-exhausted})
	 * @return {@code true} to dead-letter it, {@code false} to acknowledge it
	 */
	public boolean deadLettersWhenExhausted(boolean byDefault) {
		return (this.onExhausted != null) ? this.onExhausted == Task.RetriesExhausted.DEAD_LETTER : byDefault;
	}

	/**
	 * How long an automatic retry waits: {@code min(backoffMax, backoff * 2^retries)}, drawn at random up to
	 * that with jitter, or the fixed delay without backoff.
	 * @param retries the retries so far
	 * @return the countdown
	 */
	public Duration countdown(int retries) {
		if (this.backoff == null || this.backoff.isZero()) {
			return (this.delay != null) ? this.delay : Duration.ofMinutes(3);
		}
		Duration max = (this.backoffMax != null) ? this.backoffMax : Duration.ofMinutes(10);
		long millis = Math.min(max.toMillis(), this.backoff.toMillis() << Math.min(retries, 40));
		if (this.jitter == null || this.jitter) {
			millis = ThreadLocalRandom.current().nextLong(millis + 1);
		}
		return Duration.ofMillis(millis);
	}

	/**
	 * This policy with every setting the other gives replacing this one's.
	 * @param other the policy that wins
	 * @return the merged policy
	 */
	public RetryPolicy overriddenBy(@Nullable RetryPolicy other) {
		if (other == null) {
			return this;
		}
		return new RetryPolicy(pick(other.autoretryFor, this.autoretryFor), pick(other.maxRetries, this.maxRetries),
				pick(other.delay, this.delay), pick(other.backoff, this.backoff), pick(other.backoffMax, this.backoffMax),
				pick(other.jitter, this.jitter), pick(other.onExhausted, this.onExhausted));
	}

	private static <T> @Nullable T pick(@Nullable T preferred, @Nullable T fallback) {
		return (preferred != null) ? preferred : fallback;
	}

}
