package dev.taskqueue.beat;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link dev.taskqueue.Task @Task} method without arguments on a schedule, when the beat is enabled
 * ({@code taskqueue.beat.enabled=true}): the common case of a periodic task, without configuration.
 * <pre>{@code
 * @Task("reports.nightly")
 * @Periodic(cron = "0 7 * * mon-fri")
 * void nightly() { ... }
 *
 * @Task("feeds.poll")
 * @Periodic(every = "5m", catchUp = CatchUp.SKIP)
 * void poll() { ... }
 * }</pre>
 * The entry is named after the task unless {@link #name()} says otherwise; an entry of that name in
 * {@code taskqueue.beat.schedule} replaces it, as configuration replaces {@code @Task}'s attributes. Exactly
 * one of {@link #cron()} and {@link #every()} is given; a method with parameters, both or neither fail the
 * start-up.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Periodic {

	/**
	 * A crontab, read in {@code taskqueue.beat.timezone}: minute, hour, day of month, month, day of week.
	 * @return the crontab, or empty for an interval
	 */
	String cron() default "";

	/**
	 * An interval, as configuration writes durations ({@code 30s}, {@code 5m}, {@code PT1H}).
	 * @return the interval, or empty for a crontab
	 */
	String every() default "";

	/**
	 * The entry's name.
	 * @return the name, or empty for the task's name
	 */
	String name() default "";

	/**
	 * What becomes of fire times missed while no scheduler led.
	 * @return the catch-up
	 */
	CatchUp catchUp() default CatchUp.ONCE;

}
