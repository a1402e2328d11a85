package dev.taskqueue.worker;

import dev.taskqueue.TaskQueueException;

/**
 * A task method threw: the cause is the task's own exception, which becomes its FAILURE result.
 */
class TaskExecutionException extends TaskQueueException {

	/**
	 * Wrap a task's exception.
	 * @param cause what the task threw
	 */
	TaskExecutionException(Throwable cause) {
		super("Task raised " + cause, cause);
	}

}
