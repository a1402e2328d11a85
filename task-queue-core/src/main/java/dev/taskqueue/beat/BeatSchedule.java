package dev.taskqueue.beat;

import java.time.ZoneId;
import java.util.Map;

/**
 * The beat's schedule at run time, as RedBeat and django-celery-beat offer it to Celery: entries added,
 * changed or removed here are kept in the broker and run by whichever application leads.
 * <pre>{@code
 * beat.put(BeatEntry.of("cleanup", "maintenance.cleanup", beat.cron("0 3 * * *")));
 * beat.put(BeatEntry.of("poll", "feeds.poll", Schedule.every(Duration.ofMinutes(5))).withArgs(List.of("rss")));
 * beat.remove("poll");
 * }</pre>
 * An entry put here under the name of one from configuration or {@code @Periodic} replaces it until removed;
 * removing it brings the configured one back. The entries of configuration change with the configuration.
 */
public interface BeatSchedule {

	/**
	 * Add an entry, or change the one of that name. Its last run, if any, is kept: a changed schedule counts
	 * from it.
	 * @param entry the entry, with a cron or interval schedule
	 */
	void put(BeatEntry entry);

	/**
	 * Remove an entry added at run time, with its last run.
	 * @param name the entry's name
	 */
	void remove(String name);

	/**
	 * The schedule as this application knows it: configured entries, replaced or completed by those added at
	 * run time. On RabbitMQ an application that does not lead knows only the entries it put itself.
	 * @return entry name to entry
	 */
	Map<String, BeatEntry> entries();

	/**
	 * The zone crontabs of configuration are read in ({@code taskqueue.beat.timezone}).
	 * @return the zone
	 */
	ZoneId timezone();

	/**
	 * A crontab in the beat's zone.
	 * @param expression minute, hour, day of month, month, day of week
	 * @return the schedule
	 */
	default CronSchedule cron(String expression) {
		return CronSchedule.parse(expression, timezone());
	}

	/**
	 * What the beat says of itself now.
	 * @return the status
	 */
	BeatStatus status();

}
