package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.taskqueue.beat.CatchUp;

/**
 * The beat (Celery's {@code celery beat}), under {@code taskqueue.beat}: periodic tasks sent by whichever of the
 * application's instances leads.
 * <pre>{@code
 * taskqueue:
 *   beat:
 *     enabled: true
 *     timezone: Europe/Paris
 *     schedule:
 *       nightly-report:
 *         task: reports.render
 *         cron: "0 7 * * mon-fri"
 *         args: [42]
 *         kwargs: { format: pdf }
 *         queue: reports
 *       heartbeat:
 *         task: sample.echo
 *         every: 30s
 *         args: [tick]
 * }</pre>
 * The entries of {@code schedule} are {@link Entry} values: an IDE completes and documents their keys from that
 * type, since Spring Boot's metadata format describes no key inside a map.
 */
@ConfigurationProperties("taskqueue.beat")
public class TaskQueueBeatProperties {

	/**
	 * Whether this application runs the beat. Any number of instances may: exactly one leads at a time, the
	 * others take over if it goes away.
	 */
	private boolean enabled;

	/**
	 * The time zone crontab fields are read in (Celery's timezone), for example Europe/Paris.
	 */
	private ZoneId timezone = ZoneOffset.UTC;

	/**
	 * How long the lead lasts unless the leader renews it, which it does every third of it: a leader that dies
	 * is replaced within this time and a second. On RabbitMQ the lead passes as soon as the broker sees the
	 * leader's connection close.
	 */
	private Duration lease = Duration.ofSeconds(10);

	/**
	 * The entries of the schedule, by name (Celery's beat_schedule). Write names with dots in brackets.
	 */
	private Map<String, Entry> schedule = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public ZoneId getTimezone() {
		return this.timezone;
	}

	public void setTimezone(ZoneId timezone) {
		this.timezone = timezone;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Map<String, Entry> getSchedule() {
		return this.schedule;
	}

	public void setSchedule(Map<String, Entry> schedule) {
		this.schedule = schedule;
	}

	/**
	 * An entry of {@code taskqueue.beat.schedule}: the task, exactly one of {@code cron} and {@code every}, and how
	 * it is sent (the queue, priority, serializer, compression and expiry of {@link TaskQueueProperties.SendSettings},
	 * as a route has them).
	 */
	public static class Entry extends TaskQueueProperties.SendSettings {

		/**
		 * The name of the task to send; a task this application does not know is fine (a Python worker may run
		 * it).
		 */
		private @Nullable String task;

		/**
		 * A crontab with Celery's semantics: minute hour day-of-month month day-of-week ("0 7 * * mon-fri").
		 */
		private @Nullable String cron;

		/**
		 * An interval (Celery's timedelta schedule), such as 30s; the first run is one interval after the leader
		 * first sees the entry.
		 */
		private @Nullable Duration every;

		/**
		 * The task's positional arguments.
		 */
		private List<Object> args = new ArrayList<>();

		/**
		 * The task's keyword arguments.
		 */
		private Map<String, Object> kwargs = new LinkedHashMap<>();

		/**
		 * What becomes of fire times missed while no instance led (all down, or the leader killed): once sends
		 * the latest of them once; skip sends none.
		 */
		private CatchUp catchUp = CatchUp.ONCE;

		public @Nullable String getTask() {
			return this.task;
		}

		public void setTask(@Nullable String task) {
			this.task = task;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable Duration getEvery() {
			return this.every;
		}

		public void setEvery(@Nullable Duration every) {
			this.every = every;
		}

		public List<Object> getArgs() {
			return this.args;
		}

		public void setArgs(List<Object> args) {
			this.args = args;
		}

		public Map<String, Object> getKwargs() {
			return this.kwargs;
		}

		public void setKwargs(Map<String, Object> kwargs) {
			this.kwargs = kwargs;
		}

		public CatchUp getCatchUp() {
			return this.catchUp;
		}

		public void setCatchUp(CatchUp catchUp) {
			this.catchUp = catchUp;
		}

	}

}
