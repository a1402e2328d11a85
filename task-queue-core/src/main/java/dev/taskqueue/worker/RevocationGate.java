package dev.taskqueue.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.revoke.Revocations;

/**
 * The worker's side of revocation: tells whether a task is revoked before it runs, and keeps the
 * threads of running tasks so that a revocation with {@code terminate} interrupts the right one.
 */
class RevocationGate {

	private final Revocations revocations;

	private final ConcurrentHashMap<String, Thread> running = new ConcurrentHashMap<>();

	private final Set<String> terminated = ConcurrentHashMap.newKeySet();

	/**
	 * Create a gate and listen for terminating revocations.
	 * @param revocations the cluster's revocations
	 */
	RevocationGate(Revocations revocations) {
		this.revocations = revocations;
		revocations.onTerminate(this::terminate);
	}

	/**
	 * Whether a task must not run.
	 * @param taskId the task's id
	 * @return {@code true} if revoked
	 */
	boolean isRevoked(String taskId) {
		return this.revocations.isRevoked(taskId);
	}

	/**
	 * Note that a task runs on the current thread, until {@link #finished(String)}.
	 * @param taskId the task's id
	 */
	void started(String taskId) {
		this.running.put(taskId, Thread.currentThread());
		// a revocation that arrived between the check and now would have found no thread to interrupt
		if (this.revocations.isRevoked(taskId)) {
			terminate(taskId);
		}
	}

	/**
	 * Note that a task's run ended.
	 * @param taskId the task's id
	 * @return {@code true} if the run was terminated by a revocation, so its outcome is REVOKED
	 */
	boolean finished(String taskId) {
		// no lock over the gate: the map's lock on this one key orders the removal against a terminate, which
		// marks the task terminated inside that lock, so either it sees no thread or this sees its mark
		this.running.remove(taskId);
		boolean wasTerminated = this.terminated.remove(taskId);
		if (wasTerminated) {
			// the interrupt may not have been consumed by the task: it must not leak into the next one
			Thread.interrupted();
		}
		return wasTerminated;
	}

	private void terminate(String taskId) {
		this.running.computeIfPresent(taskId, (id, thread) -> {
			this.terminated.add(id);
			thread.interrupt();
			return thread;
		});
	}

}
