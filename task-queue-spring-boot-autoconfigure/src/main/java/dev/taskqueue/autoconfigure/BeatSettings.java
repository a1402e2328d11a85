package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;

import dev.taskqueue.SendOptions;
import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.CronSchedule;
import dev.taskqueue.beat.IntervalSchedule;
import dev.taskqueue.beat.InvalidCronException;
import dev.taskqueue.beat.Schedule;

/**
 * Turns {@code taskqueue.beat.schedule} into the beat's entries. A wrong entry fails the start-up with Spring
 * Boot's failure analysis of the property at fault, named with the entry and the field
 * ({@code taskqueue.beat.schedule.nightly-report.cron}) and where it was set.
 */
final class BeatSettings {

	private static final String PREFIX = "taskqueue.beat.schedule.";

	private BeatSettings() {
	}

	static List<BeatEntry> entries(TaskQueueBeatProperties beat) {
		List<BeatEntry> entries = new ArrayList<>();
		beat.getSchedule().forEach((name, entry) -> entries.add(entry(name, entry, beat)));
		return entries;
	}

	private static BeatEntry entry(String name, TaskQueueBeatProperties.Entry entry, TaskQueueBeatProperties beat) {
		String property = PREFIX + name + ".";
		if (entry.getTask() == null || entry.getTask().isBlank()) {
			throw new InvalidConfigurationPropertyValueException(property + "task", entry.getTask(),
					"The beat entry '" + name + "' needs the name of the task it sends.");
		}
		BeatEntry result = BeatEntry.of(name, entry.getTask(), schedule(name, entry, beat, property))
			.withArgs(entry.getArgs())
			.withKwargs(entry.getKwargs())
			.withCatchUp(entry.getCatchUp());
		return result.withOptions(options(entry, property));
	}

	private static Schedule schedule(String name, TaskQueueBeatProperties.Entry entry, TaskQueueBeatProperties beat,
			String property) {
		String cron = entry.getCron();
		boolean hasCron = cron != null && !cron.isBlank();
		if (hasCron && entry.getEvery() != null) {
			Set<String> both = new LinkedHashSet<>(List.of(property + "cron", property + "every"));
			throw new MutuallyExclusiveConfigurationPropertiesException(both, both);
		}
		if (hasCron) {
			try {
				return CronSchedule.parse(cron, beat.getTimezone());
			}
			catch (InvalidCronException ex) {
				throw new InvalidConfigurationPropertyValueException(property + "cron", cron, ex.getMessage());
			}
		}
		if (entry.getEvery() != null) {
			try {
				return new IntervalSchedule(entry.getEvery());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(property + "every", entry.getEvery(),
						ex.getMessage());
			}
		}
		throw new InvalidConfigurationPropertyValueException(property + "cron", null, "The beat entry '" + name
				+ "' needs a schedule: a cron (\"0 7 * * mon-fri\") or an every (30s).");
	}

	private static SendOptions options(TaskQueueBeatProperties.Entry entry, String property) {
		SendOptions options = SendOptions.defaults();
		if (entry.getQueue() != null) {
			options = options.withQueue(entry.getQueue());
		}
		if (entry.getPriority() != null) {
			try {
				options = options.withPriority(entry.getPriority());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(property + "priority", entry.getPriority(),
						ex.getMessage());
			}
		}
		if (entry.getExpires() != null) {
			options = options.withExpires(entry.getExpires());
		}
		if (entry.getSerializer() != null) {
			options = options.withSerializer(entry.getSerializer());
		}
		if (entry.getCompression() != null) {
			options = options.withCompression(entry.getCompression());
		}
		return options;
	}

}
