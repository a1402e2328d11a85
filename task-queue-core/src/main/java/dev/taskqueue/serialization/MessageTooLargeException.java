package dev.taskqueue.serialization;

/**
 * A message is larger or more deeply nested than {@link MessageLimits} allow.
 */
public class MessageTooLargeException extends SerializationException {

	/**
	 * Create an exception.
	 * @param message what is too large, and the limit
	 */
	public MessageTooLargeException(String message) {
		super(message);
	}

}
