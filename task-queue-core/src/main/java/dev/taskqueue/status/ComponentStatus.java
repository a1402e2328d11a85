package dev.taskqueue.status;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Whether a part of the system (a broker, a result backend) is reachable now, with what it says of itself: a
 * server's version, the connection's address. Read by the {@code taskQueue} health contributor.
 *
 * @param up whether the part answered
 * @param details what it says of itself (server, version, ...), shown in the health details
 * @param error why it is down, or {@code null} when up
 */
public record ComponentStatus(boolean up, Map<String, Object> details, @Nullable String error) {

	/**
	 * Copy the details.
	 */
	public ComponentStatus {
		details = Map.copyOf(details);
	}

	/**
	 * A part that answered.
	 * @param details what it says of itself
	 * @return the status
	 */
	public static ComponentStatus up(Map<String, Object> details) {
		return new ComponentStatus(true, details, null);
	}

	/**
	 * A part that did not answer.
	 * @param error why, for an operator (the exception's message, say)
	 * @param details what is known of it (its address)
	 * @return the status
	 */
	public static ComponentStatus down(String error, Map<String, Object> details) {
		return new ComponentStatus(false, details, error);
	}

}
