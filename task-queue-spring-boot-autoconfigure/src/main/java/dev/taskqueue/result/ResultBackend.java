package dev.taskqueue.result;

import java.util.concurrent.CompletableFuture;

/**
 * Stores and fetches task results by task id, and notifies those waiting for one. Nothing else.
 * <p>
 * Implementations: {@link dev.taskqueue.result.memory.InMemoryResultBackend},
 * {@link DisabledResultBackend}. A bean of this type replaces the configured one.
 */
public interface ResultBackend {

	/**
	 * Store a task's state. A stored SUCCESS is final and is not overwritten, as in Celery.
	 * @param result the state and result
	 */
	void store(TaskResult result);

	/**
	 * The stored state of a task.
	 * @param taskId the task
	 * @return the result, or {@code null} if nothing is stored (PENDING)
	 */
	TaskResult fetch(String taskId);

	/**
	 * A future completed when the task reaches a final state (SUCCESS, FAILURE, REVOKED), woken by the store
	 * rather than by polling. Completed at once if the task is already there.
	 * @param taskId the task
	 * @return the future
	 */
	CompletableFuture<TaskResult> whenReady(String taskId);

	/**
	 * Remove a task's result.
	 * @param taskId the task
	 */
	void forget(String taskId);

}
