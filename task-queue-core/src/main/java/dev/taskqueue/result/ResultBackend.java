package dev.taskqueue.result;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Stores and fetches task results by task id, and notifies those waiting for one; for Celery's canvas, it also
 * saves groups ({@code GroupResult.save}) and, where it can, joins chords natively (Celery's
 * {@code on_chord_part_return}).
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
	 * Refuse chords if this backend cannot carry them, as Celery's {@code ensure_chords_allowed}: the {@code rpc}
	 * backend and no backend at all cannot. By default chords are allowed.
	 * @throws UnsupportedOperationException if chords are not supported
	 */
	default void ensureChordsAllowed() {
	}

	/**
	 * Whether the backend joins a chord's header itself, with atomic counters (Celery's Redis backend): each header
	 * task reports its outcome with {@link #chordPartReturned}, and the one that completes the header sends the
	 * body. Otherwise the client sends Celery's {@code celery.chord_unlock}, which polls the header's results.
	 * @return {@code true} for a native join; by default {@code false}
	 */
	default boolean joinsChordsNatively() {
		return false;
	}

	/**
	 * Record how many tasks a chord's header has, before its last task is sent (Celery's {@code set_chord_size});
	 * only a backend that {@link #joinsChordsNatively() joins natively} needs it.
	 * @param groupId the header's group id
	 * @param size how many header tasks report to the chord
	 */
	default void setChordSize(String groupId, int size) {
	}

	/**
	 * Record the outcome of one task of a chord's header (Celery's {@code on_chord_part_return}) and tell whether it
	 * completed the header. Exactly one of the header's tasks is told so, however many workers finish at the same
	 * moment; the join is then forgotten.
	 * @param groupId the header's group id
	 * @param groupIndex the task's position in the header, or {@code null}
	 * @param result the task's outcome (SUCCESS, FAILURE or REVOKED)
	 * @return the header's outcomes in header order if this task completed it, else {@code null}
	 * @throws UnsupportedOperationException if the backend does not {@link #joinsChordsNatively() join natively}
	 */
	default @Nullable List<TaskResult> chordPartReturned(String groupId, @Nullable Integer groupIndex,
			TaskResult result) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not join chords natively");
	}

	/**
	 * Save a group's members (Celery's {@code GroupResult.save()}, {@code celery-taskset-meta-<id>}), so that
	 * any client can restore the group by its id.
	 * @param groupId the group's id
	 * @param taskIds its members' ids, in order
	 * @throws UnsupportedOperationException if the backend cannot save groups (as Celery's {@code rpc})
	 */
	default void saveGroup(String groupId, List<String> taskIds) {
		throw new UnsupportedOperationException("Saving groups is not supported by " + getClass().getSimpleName());
	}

	/**
	 * The members of a saved group (Celery's {@code GroupResult.restore()}).
	 * @param groupId the group's id
	 * @return its members' ids, in order (nested groups flattened), or {@code null} if none is saved
	 * @throws UnsupportedOperationException if the backend cannot save groups
	 */
	default @Nullable List<String> restoreGroup(String groupId) {
		throw new UnsupportedOperationException("Restoring groups is not supported by " + getClass().getSimpleName());
	}

	/**
	 * Remove a saved group (Celery's {@code GroupResult.delete()}); its members' results stay.
	 * @param groupId the group's id
	 */
	default void forgetGroup(String groupId) {
	}

	/**
	 * Whether the backend is reachable now: a round trip to its server, bounded to a few seconds. Health reads it.
	 * @return up with the server's details, or down with the reason; backends without a server are always up
	 */
	default dev.taskqueue.status.ComponentStatus status() {
		return dev.taskqueue.status.ComponentStatus.up(java.util.Map.of());
	}

}
