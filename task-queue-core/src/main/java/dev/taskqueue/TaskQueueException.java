package dev.taskqueue;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions Task Queue raises.
 */
public class TaskQueueException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what happened
	 */
	public TaskQueueException(String message) {
		super(message);
	}

	/**
	 * Create an exception.
	 * @param message what happened
	 * @param cause why
	 */
	public TaskQueueException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
