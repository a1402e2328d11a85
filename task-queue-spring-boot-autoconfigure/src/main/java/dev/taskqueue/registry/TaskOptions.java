package dev.taskqueue.registry;

import dev.taskqueue.Task;

/**
 * A task's own settings, resolved from its {@link Task @Task} annotation.
 *
 * @param queue the task's queue, or {@code null} to route as configured
 * @param priority the task's priority, or {@code null}
 * @param acks when its message is acknowledged
 * @param ignoreResult whether no result is stored
 * @param trackStarted whether STARTED is stored
 */
public record TaskOptions(String queue, Integer priority, Task.Acks acks, boolean ignoreResult, boolean trackStarted) {

	/** The settings of a task declared with no options (or not declared in this application). */
	public static final TaskOptions DEFAULTS = new TaskOptions(null, null, Task.Acks.DEFAULT, false, false);

	/**
	 * The settings an annotation declares.
	 * @param task the annotation
	 * @return the settings
	 */
	public static TaskOptions of(Task task) {
		return new TaskOptions(task.queue().isEmpty() ? null : task.queue(),
				(task.priority() < 0) ? null : task.priority(), task.acks(), task.ignoreResult(), task.trackStarted());
	}

	/**
	 * Whether the message is acknowledged after the task has run.
	 * @param lateByDefault the worker's default ({@code taskqueue.worker.acks-late})
	 * @return {@code true} for late acknowledgement
	 */
	public boolean acksLate(boolean lateByDefault) {
		return switch (this.acks) {
			case LATE -> true;
			case EARLY -> false;
			case DEFAULT -> lateByDefault;
		};
	}

}
