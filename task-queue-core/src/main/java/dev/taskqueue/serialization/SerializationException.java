package dev.taskqueue.serialization;

import dev.taskqueue.TaskQueueException;

/**
 * A value could not be serialized, or bytes could not be deserialized or are not accepted.
 */
public class SerializationException extends TaskQueueException {

	/**
	 * Create an exception.
	 * @param message what went wrong
	 */
	public SerializationException(String message) {
		super(message);
	}

	/**
	 * Create an exception.
	 * @param message what went wrong
	 * @param cause why
	 */
	public SerializationException(String message, Throwable cause) {
		super(message, cause);
	}

}
