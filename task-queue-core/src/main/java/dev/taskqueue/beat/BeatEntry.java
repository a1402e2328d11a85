package dev.taskqueue.beat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;

/**
 * A periodic task (an entry of Celery's {@code beat_schedule}): which task to send, when, with which arguments
 * and options. Immutable; start from {@link #of} and chain the {@code with} methods:
 * <pre>{@code
 * BeatEntry nightly = BeatEntry.of("nightly-report", "reports.render", Schedule.cron("0 7 * * mon-fri", paris))
 *         .withArgs(List.of(42))
 *         .withKwargs(Map.of("format", "pdf"))
 *         .withOptions(SendOptions.defaults().withQueue("reports"));
 * }</pre>
 *
 * @param name the entry's name, unique in the schedule (the key of Celery's {@code beat_schedule})
 * @param task the name of the task to send, which may be a Python worker's
 * @param schedule when it fires
 * @param args the task's positional arguments, as plain values
 * @param kwargs the task's keyword arguments, as plain values
 * @param options how it is sent: queue, priority, expiry, serializer, compression, headers (Celery's entry
 * {@code options}); the task id is the scheduler's
 * @param catchUp what becomes of fire times missed while no scheduler led
 */
public record BeatEntry(String name, String task, Schedule schedule, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, SendOptions options, CatchUp catchUp) {

	/**
	 * Check and copy the entry.
	 */
	public BeatEntry {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("A beat entry needs a name");
		}
		if (task == null || task.isBlank()) {
			throw new IllegalArgumentException("The beat entry '" + name + "' needs a task");
		}
		Objects.requireNonNull(schedule, "schedule");
		args = Collections.unmodifiableList(new ArrayList<>((args != null) ? args : List.of()));
		kwargs = Collections.unmodifiableMap(new LinkedHashMap<>((kwargs != null) ? kwargs : Map.of()));
		options = (options != null) ? options : SendOptions.defaults();
		catchUp = (catchUp != null) ? catchUp : CatchUp.ONCE;
	}

	/**
	 * An entry without arguments, sent with the task's own options, caught up once.
	 * @param name the entry's name
	 * @param task the task's name
	 * @param schedule when it fires
	 * @return the entry
	 */
	public static BeatEntry of(String name, String task, Schedule schedule) {
		return new BeatEntry(name, task, schedule, List.of(), Map.of(), SendOptions.defaults(), CatchUp.ONCE);
	}

	/**
	 * This entry with other positional arguments.
	 * @param args the arguments
	 * @return a new entry
	 */
	public BeatEntry withArgs(List<?> args) {
		return new BeatEntry(this.name, this.task, this.schedule, new ArrayList<>(args), this.kwargs, this.options,
				this.catchUp);
	}

	/**
	 * This entry with other keyword arguments.
	 * @param kwargs the arguments
	 * @return a new entry
	 */
	public BeatEntry withKwargs(Map<String, ?> kwargs) {
		return new BeatEntry(this.name, this.task, this.schedule, this.args, new LinkedHashMap<>(kwargs), this.options,
				this.catchUp);
	}

	/**
	 * This entry sent with other options.
	 * @param options the options
	 * @return a new entry
	 */
	public BeatEntry withOptions(SendOptions options) {
		return new BeatEntry(this.name, this.task, this.schedule, this.args, this.kwargs, options, this.catchUp);
	}

	/**
	 * This entry with another schedule.
	 * @param schedule the schedule
	 * @return a new entry
	 */
	public BeatEntry withSchedule(Schedule schedule) {
		return new BeatEntry(this.name, this.task, schedule, this.args, this.kwargs, this.options, this.catchUp);
	}

	/**
	 * This entry with another catch-up.
	 * @param catchUp what to do with missed times
	 * @return a new entry
	 */
	public BeatEntry withCatchUp(CatchUp catchUp) {
		return new BeatEntry(this.name, this.task, this.schedule, this.args, this.kwargs, this.options, catchUp);
	}

}
