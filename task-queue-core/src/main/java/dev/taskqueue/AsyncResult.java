package dev.taskqueue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A handle on a sent task and its result, in the spirit of Celery's {@code AsyncResult}:
 * <pre>{@code
 * AsyncResult<Integer> sum = client.send(MathTasks::add, 2, 3);
 * int five = sum.get(Duration.ofSeconds(10));
 * }</pre>
 * Reading the state asks the result backend each time; waiting is woken by the backend's notification,
 * not by polling.
 *
 * @param <T> the task's result type
 */
public interface AsyncResult<T> {

	/**
	 * The task's id.
	 * @return the id
	 */
	String id();

	/**
	 * The task's current state, as the result backend has it.
	 * @return the state; PENDING when the backend knows nothing of the task
	 */
	TaskState state();

	/**
	 * Whether the task has finished: SUCCESS, FAILURE or REVOKED.
	 * @return {@code true} if the state is final
	 */
	default boolean ready() {
		return state().isReady();
	}

	/**
	 * Whether the task finished with a result.
	 * @return {@code true} if the state is SUCCESS
	 */
	default boolean successful() {
		return state() == TaskState.SUCCESS;
	}

	/**
	 * Why the task failed or was revoked, once it has.
	 * @return the failure, or empty while the task is not FAILURE or REVOKED
	 */
	Optional<TaskFailure> failure();

	/**
	 * Wait for the task's result.
	 * @param timeout how long to wait at the most
	 * @return the task's return value, converted to {@code T}, or {@code null} if it returned none
	 * @throws TaskFailedException if the task failed ({@link TaskRevokedException} if revoked)
	 * @throws ResultTimeoutException if the task is not ready in time
	 */
	@Nullable T get(Duration timeout);

	/**
	 * A future completed with the task's result, or exceptionally with a {@link TaskFailedException}.
	 * @return the future
	 */
	CompletableFuture<T> toCompletableFuture();

	/**
	 * The same task, with its result converted to another type (for a task sent by name).
	 * @param <U> the type
	 * @param type the result's class
	 * @return a handle converting to {@code U}
	 */
	<U> AsyncResult<U> as(Class<U> type);

}
