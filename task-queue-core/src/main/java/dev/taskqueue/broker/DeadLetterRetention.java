package dev.taskqueue.broker;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many dead letters a broker keeps, and for how long: without a bound, a flood of bad messages fills the
 * broker until it runs out of memory (a known way Celery deployments die). Over {@link #maxCount()} the oldest
 * are dropped first; older than {@link #maxAge()} they are dropped too. Every broker counts what it drops in
 * one log line per drop, through {@link #droppedOverMaxCount(String, long)} and
 * {@link #droppedOverMaxAge(String, long)}, so that the lines read the same on every broker and an operator
 * sees that dead letters were lost and why.
 * <p>
 * Where the count applies is the broker's: per queue in memory and on Redis, for the one dead-letter queue
 * of all queues together on RabbitMQ (its {@code x-max-length}).
 *
 * @param maxCount the most dead letters kept (per queue, or in all, as the broker counts them)
 * @param maxAge how long a dead letter is kept
 */
public record DeadLetterRetention(int maxCount, Duration maxAge) {

	/** The default count: room to inspect a burst, far below what hurts a broker's memory. */
	public static final int DEFAULT_MAX_COUNT = 10_000;

	/** The default age: a week leaves a weekend and a holiday to notice and redrive them. */
	public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterRetention.class);

	/**
	 * Check the bounds.
	 */
	public DeadLetterRetention {
		if (maxCount < 1) {
			throw new IllegalArgumentException("the most dead letters kept must be at least 1, was " + maxCount);
		}
		if (maxAge.isNegative() || maxAge.isZero()) {
			throw new IllegalArgumentException("the age of dead letters kept must be positive, was " + maxAge);
		}
	}

	/**
	 * 10,000 dead letters and 7 days, the defaults of {@code taskqueue.dead-letters.*}.
	 * @return the defaults
	 */
	public static DeadLetterRetention defaults() {
		return new DeadLetterRetention(DEFAULT_MAX_COUNT, DEFAULT_MAX_AGE);
	}

	/**
	 * The time before which a dead letter is too old to keep.
	 * @param now the time now
	 * @return the cut-off: a dead letter rejected before it is dropped
	 */
	public Instant cutoff(Instant now) {
		return now.minus(this.maxAge);
	}

	/**
	 * Log that dead letters were dropped because there were more than {@link #maxCount()}.
	 * @param where whose dead letters, e.g. {@code "queue 'emails'"}
	 * @param count how many were dropped; nothing is logged for none
	 */
	public void droppedOverMaxCount(String where, long count) {
		if (count > 0) {
			logger.warn("Dropped {} oldest dead letter(s) of {}: more than taskqueue.dead-letters.max-count ({})",
					count, where, this.maxCount);
		}
	}

	/**
	 * Log that dead letters were dropped because they were older than {@link #maxAge()}.
	 * @param where whose dead letters, e.g. {@code "queue 'emails'"}
	 * @param count how many were dropped; nothing is logged for none
	 */
	public void droppedOverMaxAge(String where, long count) {
		if (count > 0) {
			logger.warn("Dropped {} dead letter(s) of {}: older than taskqueue.dead-letters.max-age ({})", count,
					where, this.maxAge);
		}
	}

}
