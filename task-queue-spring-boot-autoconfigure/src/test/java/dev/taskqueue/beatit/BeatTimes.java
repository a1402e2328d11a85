package dev.taskqueue.beatit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.beat.BeatScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fire times behind the task ids a beat sent for an interval entry: each id must be that of a time on the
 * entry's grid, found by going back whole intervals from the last run.
 */
final class BeatTimes {

	private BeatTimes() {
	}

	/**
	 * The fire times of the ids, in the order the ids were sent.
	 * @param entry the entry's name
	 * @param lastRun its last run, as the store keeps it
	 * @param interval its interval
	 * @param ids the ids of the tasks sent
	 * @return the fire time of each id
	 */
	static List<Instant> of(String entry, Instant lastRun, Duration interval, List<String> ids) {
		Map<String, Instant> grid = new HashMap<>();
		for (int k = 0; k < ids.size() + 600; k++) {
			Instant time = lastRun.minus(interval.multipliedBy(k));
			grid.put(BeatScheduler.taskId(entry, time), time);
		}
		List<Instant> times = new ArrayList<>();
		for (String id : ids) {
			assertThat(grid).as("the id %s is that of a fire time of %s", id, entry).containsKey(id);
			times.add(grid.get(id));
		}
		return times;
	}

	/**
	 * The fire times between two, on the grid, that were not sent.
	 */
	static List<Instant> missing(List<Instant> sent, Duration interval) {
		List<Instant> sorted = sent.stream().sorted().toList();
		List<Instant> missing = new ArrayList<>();
		for (int i = 1; i < sorted.size(); i++) {
			for (Instant t = sorted.get(i - 1).plus(interval); t.isBefore(sorted.get(i)); t = t.plus(interval)) {
				missing.add(t);
			}
		}
		return missing;
	}

}
