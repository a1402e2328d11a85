package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

/**
 * When a periodic task fires (Celery's {@code celery.schedules}): {@link CronSchedule} for a crontab,
 * {@link IntervalSchedule} for an interval (Celery's {@code schedule(timedelta)}). A schedule answers one
 * question, the next fire time after a given one, from which the scheduler derives the rest.
 */
public interface Schedule {

	/**
	 * A crontab read in a time zone: {@code Schedule.cron("0 7 * * mon-fri", ZoneId.of("Europe/Paris"))}.
	 * @param expression minute, hour, day of month, month and day of week, as cron(5) orders them
	 * @param zone the zone its fields are read in
	 * @return the schedule
	 * @throws InvalidCronException if the expression is not one Celery's crontab accepts, or never fires
	 */
	static CronSchedule cron(String expression, ZoneId zone) {
		return CronSchedule.parse(expression, zone);
	}

	/**
	 * An interval: {@code Schedule.every(Duration.ofSeconds(30))}.
	 * @param interval the time between two fire times
	 * @return the schedule
	 */
	static IntervalSchedule every(Duration interval) {
		return new IntervalSchedule(interval);
	}

	/**
	 * The first fire time strictly after an instant: after an entry's last run, its next run.
	 * @param after the instant, usually the last run
	 * @return the next fire time
	 */
	Instant next(Instant after);

	/**
	 * The latest fire time after one instant and no later than another: what a scheduler that was away sends
	 * once to catch up, rather than once per missed time.
	 * @param after the last run
	 * @param now the current time
	 * @return the latest fire time in {@code (after, now]}, or {@code null} if there is none
	 */
	default @Nullable Instant latest(Instant after, Instant now) {
		Instant first = next(after);
		if (first.isAfter(now)) {
			return null;
		}
		// look back from now in doubling steps for a window that holds a fire time, then walk it forward: a
		// handful of steps for a minute-wise crontab after a year away, rather than half a million
		Instant from = after;
		for (Duration back = Duration.ofSeconds(1); ; back = back.multipliedBy(2)) {
			Instant probe = now.minus(back);
			if (!probe.isAfter(after)) {
				break;
			}
			if (!next(probe).isAfter(now)) {
				from = probe;
				break;
			}
		}
		Instant latest = next(from);
		for (Instant following = next(latest); !following.isAfter(now); following = next(latest)) {
			latest = following;
		}
		return latest;
	}

	/**
	 * The schedule as configuration writes it.
	 * @return {@code cron 0 7 * * mon-fri (Europe/Paris)}, {@code every PT30S}
	 */
	String describe();

}
