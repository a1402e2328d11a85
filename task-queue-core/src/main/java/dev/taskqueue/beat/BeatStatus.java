package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the beat of one application says of itself, for health and the {@code taskqueue} endpoint: whether it
 * leads, when it last ticked, and each entry with its last and next run.
 *
 * @param running whether the scheduler runs in this application
 * @param leading whether this application leads the beat now
 * @param owner this scheduler's name
 * @param leader who leads, as far as the store can tell, or {@code null} if unknown
 * @param lastTick when this scheduler last looked at its schedule, or {@code null} before it first did
 * @param timezone the zone crontabs are read in ({@code taskqueue.beat.timezone})
 * @param lease how long the lead lasts unless renewed ({@code taskqueue.beat.lease})
 * @param storeError why the store (the broker) could not be reached the last time it was tried, or {@code null}
 * while it answers
 * @param entries the schedule
 */
public record BeatStatus(boolean running, boolean leading, String owner, @Nullable String leader,
		@Nullable Instant lastTick, String timezone, Duration lease, @Nullable String storeError,
		List<Entry> entries) {

	/**
	 * Copy the entries.
	 */
	public BeatStatus {
		entries = List.copyOf(entries);
	}

	/**
	 * One entry of the schedule.
	 *
	 * @param name the entry's name
	 * @param task the task it sends
	 * @param schedule its schedule, as configuration writes it
	 * @param source {@code configuration}, {@code annotation} or {@code runtime}
	 * @param lastRun the fire time it last sent (or when it was first seen), or {@code null} if unknown here
	 * @param nextRun when it fires next, or {@code null} if unknown here
	 */
	public record Entry(String name, String task, String schedule, String source, @Nullable Instant lastRun,
			@Nullable Instant nextRun) {
	}

}
