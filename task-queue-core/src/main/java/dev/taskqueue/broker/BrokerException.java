package dev.taskqueue.broker;

import dev.taskqueue.TaskQueueException;

/**
 * The broker did not do what was asked: a publish it did not take, a connection it lost.
 */
public class BrokerException extends TaskQueueException {

	/**
	 * Create an exception.
	 * @param message what failed
	 * @param cause why
	 */
	public BrokerException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create an exception.
	 * @param message what failed
	 */
	public BrokerException(String message) {
		super(message);
	}

}
