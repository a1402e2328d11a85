package dev.taskqueue.serialization;

import org.jspecify.annotations.Nullable;

/**
 * How large and how deeply nested a message may be, checked when sending (the caller gets the error) and
 * when receiving (the message is dead-lettered).
 *
 * @param maxBytes the largest body, compressed or not
 * @param maxDepth the deepest nesting of lists and maps in the arguments
 */
public record MessageLimits(int maxBytes, int maxDepth) {

	/** 16 MiB and 64 levels. */
	public static final MessageLimits DEFAULTS = new MessageLimits(16 * 1024 * 1024, 64);

	/**
	 * Check the limits.
	 */
	public MessageLimits {
		if (maxBytes < 1 || maxDepth < 1) {
			throw new IllegalArgumentException("message limits must be positive");
		}
	}

	/**
	 * Refuse a body above the size limit.
	 * @param size the body's size
	 * @param what what the body is, for the message
	 * @throws MessageTooLargeException if it is too large
	 */
	public void checkSize(int size, String what) {
		checkSize(size, what, "");
	}

	/**
	 * Refuse a body above the size limit, naming it {@code what + subject} (joined only when it is refused).
	 * @param size the body's size
	 * @param what what the body is, for the message
	 * @param subject the rest of the name, appended to {@code what}
	 * @throws MessageTooLargeException if it is too large
	 */
	public void checkSize(int size, String what, String subject) {
		if (size > this.maxBytes) {
			throw new MessageTooLargeException(what + subject + " is " + size + " bytes, above the maximum message size of "
					+ this.maxBytes + " bytes (taskqueue.max-message-size)");
		}
	}

	/**
	 * Refuse a value nested beyond the depth limit.
	 * @param value the value
	 * @param what what it is, for the message
	 * @throws MessageTooLargeException if it nests too deep
	 */
	public void checkDepth(@Nullable Object value, String what) {
		checkDepth(value, what, "");
	}

	/**
	 * Refuse a value nested beyond the depth limit, naming it {@code what + subject} (joined only when the
	 * value is refused: this runs for every message).
	 * @param value the value
	 * @param what what it is, for the message
	 * @param subject the rest of the name, appended to {@code what}
	 * @throws MessageTooLargeException if it nests too deep
	 */
	public void checkDepth(@Nullable Object value, String what, String subject) {
		if (PlainValues.depth(value, this.maxDepth) > this.maxDepth) {
			throw new MessageTooLargeException(what + subject + " nest deeper than " + this.maxDepth
					+ " levels (taskqueue.max-nesting-depth)");
		}
	}

}
