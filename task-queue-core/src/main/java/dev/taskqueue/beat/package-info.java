/**
 * Beat (Celery's {@code celery beat}): periodic tasks. {@link dev.taskqueue.beat.Schedule} says when an entry
 * fires: {@link dev.taskqueue.beat.CronSchedule} (Celery's {@code crontab}) or
 * {@link dev.taskqueue.beat.IntervalSchedule} (Celery's {@code schedule(timedelta)}).
 */
@NullMarked
package dev.taskqueue.beat;

import org.jspecify.annotations.NullMarked;
