package dev.taskqueue;

import java.time.Duration;

/**
 * Thrown by {@link AsyncResult#get(Duration)} when the task is not ready in time. The task itself goes on.
 */
public class ResultTimeoutException extends TaskQueueException {

	/**
	 * Create an exception.
	 * @param taskId the task waited for
	 * @param timeout how long it was waited for
	 */
	public ResultTimeoutException(String taskId, Duration timeout) {
		super("Task " + taskId + " was not ready within " + timeout);
	}

}
