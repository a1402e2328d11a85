package dev.taskqueue;

/**
 * The states of a task, with Celery's names and meaning.
 */
public enum TaskState {

	/** Unknown to the result backend: waiting, or never sent, or its result has expired. */
	PENDING(false),

	/** Taken by a worker (Celery reports it as an event; result backends do not store it). */
	RECEIVED(false),

	/** Running; stored only for tasks that track it ({@link Task#trackStarted()}). */
	STARTED(false),

	/** Finished and returned a result. */
	SUCCESS(true),

	/** Finished by raising an exception, or could not be run. */
	FAILURE(true),

	/** Will be run again later. */
	RETRY(false),

	/** Not run, because it was revoked or had expired. */
	REVOKED(true);

	private final boolean ready;

	TaskState(boolean ready) {
		this.ready = ready;
	}

	/**
	 * Whether this state is final: the task will not change state again.
	 * @return {@code true} for SUCCESS, FAILURE and REVOKED
	 */
	public boolean isReady() {
		return this.ready;
	}

}
