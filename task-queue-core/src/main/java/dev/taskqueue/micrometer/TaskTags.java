package dev.taskqueue.micrometer;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.registry.TaskRegistry;

/**
 * The values of the {@code task} and {@code queue} tags (and low-cardinality key values) that metrics and
 * observations share, bounded: a task name the application does not know (neither runs nor configures under
 * {@code taskqueue.tasks}) is {@value #UNKNOWN}, so that names read from messages cannot grow a registry's series
 * without bound.
 */
final class TaskTags {

	/** The {@code task} tag's key. */
	static final String TASK = "task";

	/** The {@code queue} tag's key. */
	static final String QUEUE = "queue";

	/** The {@code outcome} tag's key. */
	static final String OUTCOME = "outcome";

	/** The value of a task name the application does not know, and of a queue that is not known. */
	static final String UNKNOWN = "unknown";

	private TaskTags() {
	}

	/**
	 * The {@code task} tag of a task name.
	 * @param registry the application's tasks
	 * @param name the name as the message or the sender gave it
	 * @return the name if the registry knows it, else {@value #UNKNOWN}
	 */
	static String task(TaskRegistry registry, String name) {
		return registry.knows(name) ? name : UNKNOWN;
	}

	/**
	 * The {@code queue} tag of a queue.
	 * @param queue the queue, if known
	 * @return the queue, or {@value #UNKNOWN}
	 */
	static String queue(@Nullable String queue) {
		return (queue != null) ? queue : UNKNOWN;
	}

}
