package dev.taskqueue.result.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.result.TaskResult;

/**
 * The chords {@link InMemoryResultBackend} joins: per header, its size and the outcomes its tasks reported, as
 * Celery's Redis backend keeps them in {@code celery-taskset-meta-<id>.s} and {@code .j}. One lock for all of them:
 * a part's return is a few map operations.
 */
final class ChordJoins {

	/** Outcomes in header order; a task without a position comes last, as Celery scores it {@code +inf}. */
	private static final Comparator<Part> ORDER = Comparator
		.comparing((Part part) -> (part.index() != null) ? part.index() : Integer.MAX_VALUE)
		.thenComparing((part) -> part.result().taskId());

	private final Map<String, Join> joins = new LinkedHashMap<>();

	/**
	 * Record a header's size.
	 * @param groupId the header's group
	 * @param size how many tasks report to it
	 * @param expiresAt when the join is forgotten, in nanoseconds since the epoch
	 */
	synchronized void setSize(String groupId, int size, long expiresAt) {
		Join join = this.joins.computeIfAbsent(groupId, (id) -> new Join());
		join.size = size;
		join.expiresAt = expiresAt;
	}

	/**
	 * Record a part's outcome; a task reporting twice (a redelivered message) counts once.
	 * @param groupId the header's group
	 * @param index the part's position, or {@code null}
	 * @param result its outcome
	 * @param expiresAt when the join is forgotten, in nanoseconds since the epoch
	 * @return every part's outcome, in header order, if this one completed the header; else {@code null}
	 */
	synchronized @Nullable List<TaskResult> partReturned(String groupId, @Nullable Integer index, TaskResult result,
			long expiresAt) {
		Join join = this.joins.computeIfAbsent(groupId, (id) -> new Join());
		join.parts.put(result.taskId(), new Part(index, result));
		join.expiresAt = expiresAt;
		if (join.size == null || join.parts.size() < join.size) {
			return null;
		}
		this.joins.remove(groupId);
		List<Part> parts = new ArrayList<>(join.parts.values());
		parts.sort(ORDER);
		return parts.stream().map(Part::result).toList();
	}

	synchronized void removeExpired(long now) {
		this.joins.values().removeIf((join) -> join.expiresAt <= now);
	}

	private static final class Join {

		private @Nullable Integer size;

		private long expiresAt;

		private final Map<String, Part> parts = new LinkedHashMap<>();

	}

	private record Part(@Nullable Integer index, TaskResult result) {
	}

}
