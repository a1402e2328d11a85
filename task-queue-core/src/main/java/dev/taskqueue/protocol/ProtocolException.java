package dev.taskqueue.protocol;

import dev.taskqueue.TaskQueueException;

/**
 * A message does not follow Celery's protocol v2: a header is missing or has the wrong type, or the body
 * is not {@code [args, kwargs, embed]}.
 */
public class ProtocolException extends TaskQueueException {

	/**
	 * Create an exception.
	 * @param message what is wrong with the message
	 */
	public ProtocolException(String message) {
		super(message);
	}

}
