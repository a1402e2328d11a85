package dev.taskqueue.canvas;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.AsyncResult;

/**
 * The results of a {@link Group}'s tasks, as Celery's {@code GroupResult}: its id is the group's, and it can be
 * {@link #save() saved} to the result backend ({@code celery-taskset-meta-<id>}) and restored from it by any
 * client, a Celery one included ({@link CanvasClient#restoreGroup(String)}).
 * <pre>{@code
 * GroupResult squares = client.send(Group.of(Signature.of(MathTasks::square, 1), Signature.of(MathTasks::square, 2)));
 * squares.save();
 * List<Object> values = squares.join(Duration.ofSeconds(10));   // [1, 4]
 * }</pre>
 */
public interface GroupResult {

	/**
	 * The group's id (the {@code group} header of its tasks).
	 * @return the id
	 */
	String id();

	/**
	 * A handle on each task's result, in the group's order.
	 * @return the results
	 */
	List<AsyncResult<Object>> results();

	/**
	 * How many tasks succeeded (Celery's {@code completed_count()}).
	 * @return the number of tasks in SUCCESS
	 */
	int completedCount();

	/**
	 * Whether every task has finished (SUCCESS, FAILURE or REVOKED).
	 * @return {@code true} if all are ready
	 */
	boolean ready();

	/**
	 * Whether every task succeeded.
	 * @return {@code true} if all are SUCCESS
	 */
	boolean successful();

	/**
	 * Whether a task failed or was revoked.
	 * @return {@code true} if any is FAILURE or REVOKED
	 */
	boolean failed();

	/**
	 * Wait for every task and return their results in the group's order (Celery's {@code join()}); the first
	 * failure in that order is thrown.
	 * @param timeout how long to wait for all of them, at the most
	 * @return the results, as plain values
	 * @throws dev.taskqueue.TaskFailedException if a task failed
	 * @throws dev.taskqueue.ResultTimeoutException if they are not all ready in time
	 */
	List<@Nullable Object> join(Duration timeout);

	/**
	 * The same as {@link #join(Duration)}, as Celery's {@code get()}.
	 * @param timeout how long to wait for all of them, at the most
	 * @return the results, as plain values
	 */
	default List<@Nullable Object> get(Duration timeout) {
		return join(timeout);
	}

	/**
	 * Save the group to the result backend, for others to {@link CanvasClient#restoreGroup restore}.
	 * @return this result
	 * @throws UnsupportedOperationException if the backend cannot save groups (Celery's {@code rpc} cannot)
	 */
	GroupResult save();

	/**
	 * Remove the saved group from the result backend (Celery's {@code delete()}); the tasks' results stay.
	 */
	void delete();

}
