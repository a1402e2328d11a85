package dev.taskqueue.worker;

import java.time.Duration;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.registry.TaskRegistry;

/**
 * The rate limits of the tasks a worker runs, read from their settings, enforced by a {@link RateLimiter}.
 */
class TaskRateLimits {

	/** No task is limited. */
	static final TaskRateLimits NONE = new TaskRateLimits(new TaskRegistry(), new LocalRateLimiter());

	private final TaskRegistry registry;

	private final RateLimiter limiter;

	/**
	 * Create the limits.
	 * @param registry the tasks' settings
	 * @param limiter what hands out start times
	 */
	TaskRateLimits(TaskRegistry registry, RateLimiter limiter) {
		this.registry = registry;
		this.limiter = limiter;
	}

	/**
	 * Reserve a start for a received message.
	 * @param envelope the message (only its {@code task} header is read)
	 * @return how long it must wait before it starts
	 */
	Duration reserve(Envelope envelope) {
		String task = envelope.taskName();
		RateLimit limit = (task != null) ? this.registry.optionsOf(task).rateLimit() : null;
		return (limit != null) ? this.limiter.reserve(task, limit) : Duration.ZERO;
	}

}
