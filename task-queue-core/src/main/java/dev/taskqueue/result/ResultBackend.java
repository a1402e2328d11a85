package dev.taskqueue.result;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

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
	 * Store a task's state, knowing where the task's sender wants replies. Backends that send results to
	 * the sender rather than store them (Celery's {@code rpc}) need the address; the others ignore it.
	 * @param result the state and result
	 * @param replyTo the task message's {@code reply_to}, or {@code null}
	 */
	default void store(TaskResult result, @Nullable String replyTo) {
		store(result);
	}

	/**
	 * Store a task's state without waiting for the backend where it can: the future completes once the state
	 * is stored, or fails with why it could not be. A worker stores a task's outcome this way and acks its
	 * message when the future completes, so its thread does not wait for the store. The default stores
	 * synchronously, with {@link #store(TaskResult, String)}.
	 * @param result the state and result
	 * @param replyTo the task message's {@code reply_to}, or {@code null}
	 * @return a future completed when the state is stored
	 */
	default CompletableFuture<Void> storeAsync(TaskResult result, @Nullable String replyTo) {
		try {
			store(result, replyTo);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The {@code reply_to} this application's client must put on the tasks it sends, when the backend
	 * receives results there (Celery's {@code rpc}).
	 * @return the address, or {@code null} to let the client choose one
	 */
	default @Nullable String replyTo() {
		return null;
	}

	/**
	 * The stored state of a task.
	 * @param taskId the task
	 * @return the result, or {@code null} if nothing is stored (PENDING)
	 */
	@Nullable TaskResult fetch(String taskId);

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

	/**
	 * Whether the backend is reachable now: a round trip to its server, bounded to a few seconds. Health reads it.
	 * @return up with the server's details, or down with the reason; backends without a server are always up
	 */
	default dev.taskqueue.status.ComponentStatus status() {
		return dev.taskqueue.status.ComponentStatus.up(java.util.Map.of());
	}

}
