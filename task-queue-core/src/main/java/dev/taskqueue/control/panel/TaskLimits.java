package dev.taskqueue.control.panel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.Task;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;

/**
 * The tasks a worker runs and their limits, as Celery's {@code registered}, {@code rate_limit} and
 * {@code time_limit} show and change them. A limit changed here is the task's until the application stops, and
 * applies to the messages the worker receives afterwards.
 */
final class TaskLimits {

	private static final Logger logger = LoggerFactory.getLogger(TaskLimits.class);

	/** What {@code registered} shows of each task unless asked for other attributes. */
	private static final List<String> DEFAULT_INFO = List.of("exchange", "routing_key", "rate_limit");

	private final TaskRegistry registry;

	TaskLimits(TaskRegistry registry) {
		this.registry = registry;
	}

	List<Command> commands() {
		return List.of(Command.inspect("registered", this::registered), Command.control("rate_limit", this::rateLimit),
				Command.control("time_limit", this::timeLimit));
	}

	/**
	 * The tasks' names, in alphabetical order, each followed by the attributes asked for that it has:
	 * {@code sample.add [rate_limit=10/s]}.
	 */
	private List<String> registered(JsonNode arguments) {
		List<String> items = Arguments.texts(arguments, "taskinfoitems");
		List<String> wanted = items.isEmpty() ? DEFAULT_INFO : items;
		return this.registry.all()
			.stream()
			.sorted(Comparator.comparing(TaskDefinition::name))
			.map((task) -> describe(task, wanted))
			.toList();
	}

	private static String describe(TaskDefinition task, List<String> wanted) {
		List<String> fields = new ArrayList<>();
		for (String item : wanted) {
			String value = attribute(task, item);
			if (value != null) {
				fields.add(item + "=" + value);
			}
		}
		return fields.isEmpty() ? task.name() : task.name() + " [" + String.join(" ", fields) + "]";
	}

	/**
	 * A task's attribute as Python's {@code str} shows the one Celery's task has, or {@code null} if not set.
	 */
	private static @Nullable String attribute(TaskDefinition task, String item) {
		TaskOptions options = task.options();
		return switch (item) {
			case "name" -> task.name();
			case "queue" -> options.queue();
			case "rate_limit" -> (options.rateLimit() != null) ? options.rateLimit().text() : null;
			case "time_limit" -> seconds(options.timeLimit());
			case "soft_time_limit" -> seconds(options.softTimeLimit());
			case "priority" -> (options.priority() != null) ? options.priority().toString() : null;
			case "serializer" -> options.serializer();
			case "ignore_result" -> pythonBool(options.ignoreResult());
			case "track_started" -> pythonBool(options.trackStarted());
			case "acks_late" -> (options.acks() == null || options.acks() == Task.Acks.DEFAULT) ? null
					: pythonBool(options.acks() == Task.Acks.LATE);
			case "expires" -> seconds(options.expires());
			default -> null;
		};
	}

	/**
	 * Set a task's rate limit, or remove it with no rate, an empty one or {@code 0} (Celery's
	 * {@code rate_limit(task_name, rate_limit)}).
	 */
	private Map<String, Object> rateLimit(JsonNode arguments) {
		String name = Arguments.required(arguments, "task_name", "rate_limit");
		String rate = Arguments.text(arguments, "rate_limit");
		RateLimit limit;
		try {
			limit = parse(rate);
		}
		catch (IllegalArgumentException ex) {
			return Reply.error("Invalid rate limit string: " + ex.getMessage());
		}
		if (!this.registry.update(name, (options) -> options.withRateLimit(limit))) {
			logger.error("Rate limit attempt for unknown task {}", LogText.escape(name));
			return Reply.error("unknown task");
		}
		if (rate == null || rate.isEmpty()) {
			logger.info("Rate limits disabled for tasks of type {}", name);
			return Reply.ok("rate limit disabled successfully");
		}
		logger.info("New rate limit for tasks of type {}: {}.", name, LogText.escape(rate));
		return Reply.ok("new rate limit set successfully");
	}

	/**
	 * Celery's rate ({@code celery.utils.time.rate}): {@code 10/s}, {@code 100/m}, {@code 1000/h}, a bare number
	 * per second, fractions too; nothing or zero for no limit.
	 */
	static @Nullable RateLimit parse(@Nullable String rate) {
		if (rate == null || rate.isBlank()) {
			return null;
		}
		int slash = rate.indexOf('/');
		String unit = (slash < 0) ? "s" : rate.substring(slash + 1).trim();
		Duration per = switch (unit) {
			case "s", "" -> Duration.ofSeconds(1);
			case "m" -> Duration.ofMinutes(1);
			case "h" -> Duration.ofHours(1);
			default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + rate + "'");
		};
		double count;
		try {
			count = Double.parseDouble((slash < 0) ? rate.trim() : rate.substring(0, slash).trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("could not convert string to float: '" + rate + "'", ex);
		}
		if (!(count > 0) || Double.isInfinite(count)) {
			return null;
		}
		if (count == Math.rint(count)) {
			return new RateLimit((long) count, per);
		}
		return new RateLimit(1, Duration.ofNanos(Math.max(1, (long) (per.toNanos() / count))));
	}

	/**
	 * Set a task's hard and soft time limits, in seconds; one not given is removed (Celery's
	 * {@code time_limit(task_name, soft, hard)}).
	 */
	private Map<String, Object> timeLimit(JsonNode arguments) {
		String name = Arguments.text(arguments, "task_name");
		Duration hard = duration(Arguments.number(arguments, "hard"));
		Duration soft = duration(Arguments.number(arguments, "soft"));
		if (name == null || !this.registry.update(name, (options) -> options.withTimeLimits(soft, hard))) {
			logger.error("Change time limit attempt for unknown task {}", LogText.escape(name));
			return Reply.error("unknown task");
		}
		logger.info("New time limits for tasks of type {}: soft={} hard={}", name, soft, hard);
		return Reply.ok("time limits set successfully");
	}

	private static @Nullable Duration duration(@Nullable Double seconds) {
		return (seconds != null && seconds > 0) ? Duration.ofNanos((long) (seconds * 1e9)) : null;
	}

	private static @Nullable String seconds(@Nullable Duration duration) {
		return (duration != null) ? pythonFloat(duration.toNanos() / 1e9) : null;
	}

	private static String pythonFloat(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? String.format(Locale.ROOT, "%.1f", value)
				: Double.toString(value);
	}

	private static @Nullable String pythonBool(@Nullable Boolean value) {
		return (value == null) ? null : value ? "True" : "False";
	}

}
