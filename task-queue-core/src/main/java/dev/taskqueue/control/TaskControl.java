package dev.taskqueue.control;

import java.time.Clock;

import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.revoke.Revocations;

/**
 * Remote control of tasks, as Celery's {@code app.control}: {@code control.revoke(id)} is
 * {@code app.control.revoke(id)}, {@code control.revoke(id, true)} is
 * {@code app.control.revoke(id, terminate=True)}.
 */
public class TaskControl {

	private final Revocations revocations;

	private final ResultBackend results;

	private final Clock clock;

	/**
	 * Create a control.
	 * @param revocations where revocations are shared with the workers
	 * @param results where the REVOKED outcome is stored
	 * @param clock the clock the outcome is dated with
	 */
	public TaskControl(Revocations revocations, ResultBackend results, Clock clock) {
		this.revocations = revocations;
		this.results = results;
		this.clock = clock;
	}

	/**
	 * Revoke a task: no worker runs it while the revocation is kept.
	 * @param taskId the task's id
	 */
	public void revoke(String taskId) {
		revoke(taskId, false);
	}

	/**
	 * Revoke a task, and with {@code terminate} interrupt a run already under way.
	 * @param taskId the task's id
	 * @param terminate whether a running task's thread is interrupted
	 */
	public void revoke(String taskId, boolean terminate) {
		this.revocations.revoke(taskId, terminate);
		TaskResult current = this.results.fetch(taskId);
		// a finished task keeps its outcome; anything else is REVOKED at once, so waiters need no worker
		if (current == null || !current.state().isReady()) {
			this.results.store(TaskResult.revoked(taskId, "revoked", this.clock.instant()));
		}
	}

}
