package dev.taskqueue.worker;

import dev.taskqueue.TaskQueueException;

/**
 * A task message's arguments do not fit the task method's parameters: one is missing, extra, or of a type
 * that cannot be converted. The message names the parameter.
 */
class ArgumentBindingException extends TaskQueueException {

	/**
	 * Create an exception.
	 * @param message what does not fit, naming the parameter
	 */
	ArgumentBindingException(String message) {
		super(message);
	}

}
