package dev.taskqueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
	 * @return the state; PENDING when the backend knows nothing of the task, {@link TaskState#CUSTOM} for a
	 * state of the task's own (its name is {@link #status()})
	 */
	TaskState state();

	/**
	 * The task's current state by its stored name, as Celery's {@code AsyncResult.state}: one of
	 * {@link TaskState}'s names, or a state of the task's own such as {@code PROGRESS}. Never throws on a
	 * state it does not know.
	 * @return the status; {@code PENDING} when the backend knows nothing of the task
	 */
	default String status() {
		return state().name();
	}

	/**
	 * What the result backend stores with the current state, as Celery's {@code AsyncResult.info}, in plain
	 * values (maps, lists, strings, numbers, booleans): the meta of a state of the task's own
	 * ({@code {"current": 3, "total": 10}} for {@code update_state(state='PROGRESS', meta=...)}), the worker of
	 * STARTED, the return value of SUCCESS (unconverted), the exception document of FAILURE, RETRY and REVOKED.
	 * @return the stored value, or {@code null} while PENDING or when none was stored
	 */
	default @Nullable Object info() {
		return null;
	}

	/**
	 * The meta of a state of the task's own, the way a progress report reads it: {@link #info()} when it is a
	 * map and the state is {@link TaskState#CUSTOM} or {@link TaskState#STARTED}.
	 * @return the meta, or an empty map
	 */
	@SuppressWarnings("unchecked")
	default Map<String, Object> meta() {
		Object info = info();
		TaskState state = TaskState.of(status());
		return (info instanceof Map<?, ?> map && (state == TaskState.CUSTOM || state == TaskState.STARTED))
				? (Map<String, Object>) map : Map.of();
	}

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
	 * The task that came before this one in its workflow, as Celery's {@code AsyncResult.parent}: the previous
	 * step of a chain (known as soon as the chain is sent), else the {@code parent_id} the result backend stored
	 * with this task's result (the task that sent it).
	 * @return the parent, or empty if there is none or it is not known yet
	 */
	default Optional<AsyncResult<Object>> parent() {
		return Optional.empty();
	}

	/**
	 * The tasks this one sent as it ran or as its workflow's next steps (callbacks, a chain's next task), as the
	 * result backend stores them with its result (Celery's {@code AsyncResult.children}); a group's members are
	 * listed one by one.
	 * @return the children, empty while the task has not finished or if it sent none
	 */
	default List<AsyncResult<Object>> children() {
		return List.of();
	}

	/**
	 * The same task, with its result converted to another type (for a task sent by name).
	 * @param <U> the type
	 * @param type the result's class
	 * @return a handle converting to {@code U}
	 */
	<U> AsyncResult<U> as(Class<U> type);

}
