package dev.taskqueue.dashboard;

/**
 * A task, worker or queue that the dashboard does not know: a 404 page that says which.
 */
final class NotFoundException extends RuntimeException {

	NotFoundException(String message) {
		super(message);
	}

}
