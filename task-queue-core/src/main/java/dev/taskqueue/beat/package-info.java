/**
 * Beat (Celery's {@code celery beat}): periodic tasks, run by whichever of the application's instances leads.
 * <ul>
 * <li>{@link dev.taskqueue.beat.Schedule} says when an entry fires: {@link dev.taskqueue.beat.CronSchedule}
 * (Celery's {@code crontab}) or {@link dev.taskqueue.beat.IntervalSchedule} (Celery's
 * {@code schedule(timedelta)}); {@link dev.taskqueue.beat.BeatEntry} is an entry of the schedule (Celery's
 * {@code beat_schedule}), {@link dev.taskqueue.beat.Periodic @Periodic} declares one on a task method.</li>
 * <li>{@link dev.taskqueue.beat.BeatScheduler} is the beat itself: it takes the lead, sends what is due through
 * the {@link dev.taskqueue.TaskClient}, and is the {@link dev.taskqueue.beat.BeatSchedule} applications change
 * at run time and the {@link dev.taskqueue.beat.BeatStatus} health reads.</li>
 * <li>{@link dev.taskqueue.beat.BeatStore} is the SPI of what outlives a scheduler (the lead with its fencing
 * token, last runs, run-time entries), kept by {@link dev.taskqueue.beat.InMemoryBeatStore} in this JVM and by
 * the transports in their brokers; {@link dev.taskqueue.beat.BeatListener} hears of sends and leader
 * changes.</li>
 * </ul>
 * The beat sends through the client's interface only: it knows neither the worker nor the brokers.
 */
@NullMarked
package dev.taskqueue.beat;

import org.jspecify.annotations.NullMarked;
