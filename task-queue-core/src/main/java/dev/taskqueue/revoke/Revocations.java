package dev.taskqueue.revoke;

import java.util.function.Consumer;

/**
 * The revoked task ids shared by the workers of a cluster, as Celery's {@code app.control.revoke}: a
 * revoked task is not run by any worker that meets its message while the revocation is kept (the
 * revocation window), and with {@code terminate} a run already under way is interrupted.
 */
public interface Revocations {

	/**
	 * Revoke a task.
	 * @param taskId the task's id
	 * @param terminate whether a run already under way is interrupted
	 */
	void revoke(String taskId, boolean terminate);

	/**
	 * Whether a task is revoked (within the revocation window).
	 * @param taskId the task's id
	 * @return {@code true} if revoked
	 */
	boolean isRevoked(String taskId);

	/**
	 * Be told of every revocation with {@code terminate}, made here or by another application.
	 * @param listener called with the revoked task's id, on any thread
	 */
	void onTerminate(Consumer<String> listener);

	/**
	 * The ids of the tasks revoked now, within the revocation window (Celery's {@code inspect revoked}).
	 * @return the ids, in no order; empty if this implementation cannot list them
	 */
	default java.util.Set<String> revokedIds() {
		return java.util.Set.of();
	}

}
