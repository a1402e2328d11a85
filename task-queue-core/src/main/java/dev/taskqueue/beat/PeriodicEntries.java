package dev.taskqueue.beat;

import java.lang.reflect.Method;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.taskqueue.registry.DurationText;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskNames;
import dev.taskqueue.registry.TaskRegistry;

/**
 * The entries that {@link Periodic @Periodic} declares on the tasks of a registry.
 */
public final class PeriodicEntries {

	private PeriodicEntries() {
	}

	/**
	 * Read the {@code @Periodic} tasks.
	 * @param registry the application's tasks
	 * @param zone the zone crontabs are read in
	 * @return one entry per annotated task
	 * @throws IllegalStateException naming the method and the attribute, if an annotation is wrong
	 */
	public static List<BeatEntry> of(TaskRegistry registry, ZoneId zone) {
		List<BeatEntry> entries = new ArrayList<>();
		for (TaskDefinition task : registry.all()) {
			Periodic periodic = AnnotatedElementUtils.findMergedAnnotation(task.method(), Periodic.class);
			if (periodic != null) {
				entries.add(entry(task, periodic, zone));
			}
		}
		return entries;
	}

	private static BeatEntry entry(TaskDefinition task, Periodic periodic, ZoneId zone) {
		Method method = task.method();
		String where = "@Periodic on " + TaskNames.describe(method);
		if (method.getParameterCount() > 0) {
			throw new IllegalStateException(where + ": a periodic task takes no arguments; declare the entry in "
					+ "taskqueue.beat.schedule.<name> (with args) instead");
		}
		boolean cron = !periodic.cron().isBlank();
		boolean every = !periodic.every().isBlank();
		if (cron == every) {
			throw new IllegalStateException(where + ": give exactly one of cron and every");
		}
		Schedule schedule;
		try {
			schedule = cron ? CronSchedule.parse(periodic.cron(), zone)
					: new IntervalSchedule(DurationText.parse(periodic.every()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": " + (cron ? "cron" : "every") + " is invalid: " + ex.getMessage(),
					ex);
		}
		String name = periodic.name().isBlank() ? task.name() : periodic.name();
		return BeatEntry.of(name, task.name(), schedule).withCatchUp(periodic.catchUp());
	}

}
