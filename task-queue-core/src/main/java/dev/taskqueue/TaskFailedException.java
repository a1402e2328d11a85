package dev.taskqueue;

/**
 * Thrown by {@link AsyncResult#get} when the task failed: its {@link #getFailure() failure} says how.
 */
public class TaskFailedException extends TaskQueueException {

	private final String taskId;

	private final TaskFailure failure;

	/**
	 * Create an exception for a failed task.
	 * @param taskId the task's id
	 * @param failure how it failed
	 */
	public TaskFailedException(String taskId, TaskFailure failure) {
		super("Task " + taskId + " failed: " + failure);
		this.taskId = taskId;
		this.failure = failure;
	}

	/**
	 * The id of the task that failed.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * How the task failed: exception type, message and traceback.
	 * @return the failure
	 */
	public TaskFailure getFailure() {
		return this.failure;
	}

}
