package dev.taskqueue.events.state;

import org.jspecify.annotations.Nullable;

/**
 * Which tasks of the history to list: every condition given must hold, a {@code null} one is no condition.
 *
 * @param state Celery's state name, exactly ({@code FAILURE})
 * @param name the task's name, or a part of it, case-insensitive
 * @param worker the worker's node name, exactly
 * @param limit how many to list at most, newest (most recently changed) first; 0 or less lists none
 */
public record TaskQuery(@Nullable String state, @Nullable String name, @Nullable String worker, int limit) {

	/**
	 * The newest tasks, whatever they are.
	 * @param limit how many at most
	 * @return the query
	 */
	public static TaskQuery newest(int limit) {
		return new TaskQuery(null, null, null, limit);
	}

}
