package dev.taskqueue.dashboard;

/**
 * An action posted without what it needs: a 400 page that says what.
 */
final class BadFormException extends RuntimeException {

	BadFormException(String message) {
		super(message);
	}

}
