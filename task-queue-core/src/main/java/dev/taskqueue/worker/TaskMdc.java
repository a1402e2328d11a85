package dev.taskqueue.worker;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The keys a worker puts in SLF4J's {@link MDC} while it handles a task, on the thread that runs it: a line that
 * task code logs then names its task. They are removed when the task is done, and whatever the thread held under
 * them before is put back. With Logback, for instance:
 * <pre>{@code
 * <pattern>%d %-5level [%thread] %X{taskName}[%X{taskId}] %logger{36} - %msg%n</pattern>
 * }</pre>
 * Celery's worker log format has the same fields as {@code %(task_name)s[%(task_id)s]}.
 */
public final class TaskMdc {

	/** The task's id (Celery's {@code task_id}). */
	public static final String TASK_ID = "taskId";

	/** The task's name, as its message gives it (Celery's {@code task_name}). */
	public static final String TASK_NAME = "taskName";

	/** The queue the task's message was received from. */
	public static final String TASK_QUEUE = "taskQueue";

	/** The name of the worker that runs the task ({@code taskqueue.worker.name}, Celery's {@code hostname}). */
	public static final String WORKER_NAME = "workerName";

	private TaskMdc() {
	}

	/**
	 * Put a task's keys in this thread's MDC.
	 * @return what the thread held under those keys before, to give to {@link #restore}; {@code null} (nothing
	 * allocated) when it held nothing, the usual case
	 */
	static @Nullable Previous put(String taskId, String taskName, String queue, String worker) {
		Previous previous = Previous.of(MDC.get(TASK_ID), MDC.get(TASK_NAME), MDC.get(TASK_QUEUE),
				MDC.get(WORKER_NAME));
		MDC.put(TASK_ID, taskId);
		MDC.put(TASK_NAME, taskName);
		MDC.put(TASK_QUEUE, queue);
		MDC.put(WORKER_NAME, worker);
		return previous;
	}

	/**
	 * Remove the task's keys from this thread's MDC, putting back what it held before.
	 * @param previous what {@link #put} returned
	 */
	static void restore(@Nullable Previous previous) {
		if (previous == null) {
			MDC.remove(TASK_ID);
			MDC.remove(TASK_NAME);
			MDC.remove(TASK_QUEUE);
			MDC.remove(WORKER_NAME);
			return;
		}
		restore(TASK_ID, previous.taskId());
		restore(TASK_NAME, previous.taskName());
		restore(TASK_QUEUE, previous.queue());
		restore(WORKER_NAME, previous.worker());
	}

	private static void restore(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

	/**
	 * What a thread held under the task keys before a task's were put there (an eager task run by a thread that
	 * was itself running one, say).
	 */
	record Previous(@Nullable String taskId, @Nullable String taskName, @Nullable String queue,
			@Nullable String worker) {

		static @Nullable Previous of(@Nullable String taskId, @Nullable String taskName, @Nullable String queue,
				@Nullable String worker) {
			return (taskId == null && taskName == null && queue == null && worker == null) ? null
					: new Previous(taskId, taskName, queue, worker);
		}

	}

}
