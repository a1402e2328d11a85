package dev.taskqueue.actuate.endpoint;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * A request to the {@code taskqueue} endpoint about something this application does not know: a queue none of its
 * workers consumes, a dead letter that is not there, a worker it does not run. Answered with 404 over HTTP.
 */
public class UnknownTargetException extends InvalidEndpointRequestException {

	/**
	 * Create an exception.
	 * @param message what was not found, for the operator
	 */
	public UnknownTargetException(String message) {
		super(message, message);
	}

}
