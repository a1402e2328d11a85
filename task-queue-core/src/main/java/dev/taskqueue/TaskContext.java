package dev.taskqueue;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a running task can know about itself. Read it with {@link #current()} from the task's thread, or
 * declare a parameter of this type on the {@link Task @Task} method:
 * <pre>{@code
 * @Task("reports.render")
 * Report render(UUID id, TaskContext context) {
 *     log.info("rendering {} as task {} (try {})", id, context.taskId(), context.retries() + 1);
 * }
 * }</pre>
 */
public interface TaskContext {

	/**
	 * The task's id.
	 * @return the id
	 */
	String taskId();

	/**
	 * The task's name.
	 * @return the name
	 */
	String taskName();

	/**
	 * How many times the task has been retried before this run.
	 * @return 0 for the first run
	 */
	int retries();

	/**
	 * The message's headers: the protocol's and any the sender added.
	 * @return the headers
	 */
	Map<String, Object> headers();

	/**
	 * The queue the message was delivered from.
	 * @return the queue name
	 */
	String queue();

	/**
	 * Whether the broker delivered this message before (to a worker that did not acknowledge it).
	 * @return {@code true} if redelivered
	 */
	boolean redelivered();

	/**
	 * An exception to throw to run this task again after {@code countdown}.
	 * @param cause why this run failed
	 * @param countdown how long to wait, or {@code null} for the task's retry delay
	 * @return the exception, to throw
	 */
	default TaskRetryException retry(Throwable cause, @Nullable Duration countdown) {
		return new TaskRetryException(cause, countdown);
	}

	/**
	 * An exception to throw to run this task again after its retry delay.
	 * @param cause why this run failed
	 * @return the exception, to throw
	 */
	default TaskRetryException retry(Throwable cause) {
		return new TaskRetryException(cause, null);
	}

	/**
	 * The context of the task running on this thread.
	 * @return the context
	 * @throws IllegalStateException when no task is running on this thread
	 */
	static TaskContext current() {
		TaskContext context = TaskContextHolder.get();
		if (context == null) {
			throw new IllegalStateException("No task is running on thread " + Thread.currentThread().getName());
		}
		return context;
	}

}
