package dev.taskqueue;

/**
 * Thrown by {@link AsyncResult#get} when the task was revoked or had expired before it ran.
 */
public class TaskRevokedException extends TaskFailedException {

	/**
	 * Create an exception for a revoked task.
	 * @param taskId the task's id
	 * @param failure the reason recorded by the worker
	 */
	public TaskRevokedException(String taskId, TaskFailure failure) {
		super(taskId, failure);
	}

}
