package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An interval (Celery's {@code schedule(run_every=timedelta(...))}, the {@code every:} of configuration): the
 * next run is the last run plus the interval. As in Celery, an entry never run before counts from when the
 * scheduler first sees it, so that its first run is one interval after that (celery/celery#3988), and that
 * moment is kept with the last runs, so that restarts do not push the first run back (as
 * celery/django-celery-beat#634 reports of a scheduler that forgets it). Unlike Celery, which counts from when it
 * actually sent, the next run counts from when the last one was due, so the times stay on one grid and a
 * scheduler that sends a little late does not drift.
 *
 * @param interval the time between two runs, positive
 */
public record IntervalSchedule(Duration interval) implements Schedule {

	/**
	 * Check the interval.
	 */
	public IntervalSchedule {
		if (interval == null || interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("An interval must be positive, was " + interval);
		}
	}

	@Override
	public Instant next(Instant after) {
		return after.plus(this.interval);
	}

	@Override
	public @Nullable Instant latest(Instant after, Instant now) {
		Duration elapsed = Duration.between(after, now);
		if (elapsed.compareTo(this.interval) < 0) {
			return null;
		}
		return after.plus(this.interval.multipliedBy(elapsed.dividedBy(this.interval)));
	}

	@Override
	public String describe() {
		return "every " + this.interval;
	}

}
