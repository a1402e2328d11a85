package dev.taskqueue;

import org.jspecify.annotations.Nullable;

/**
 * The states of a task, with Celery's names and meaning. States are open in Celery: a task may store one
 * of its own ({@code self.update_state(state='PROGRESS', meta={...})}); such a state reads as {@link #CUSTOM},
 * its name is {@link AsyncResult#status()} and its meta {@link AsyncResult#info()}.
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
	REVOKED(true),

	/**
	 * A state of the task's own, stored by the task while it runs (Celery's {@code update_state} with a state
	 * such as {@code PROGRESS}), or one this library does not know ({@code REJECTED}, {@code IGNORED}): not
	 * final, as in Celery. {@link AsyncResult#status()} names it and {@link AsyncResult#info()} holds its meta.
	 */
	CUSTOM(false);

	private final boolean ready;

	TaskState(boolean ready) {
		this.ready = ready;
	}

	/**
	 * The state a stored status stands for.
	 * @param status the status as stored ({@code SUCCESS}, {@code PROGRESS}), or {@code null}
	 * @return its state: {@link #PENDING} for {@code null}, {@link #CUSTOM} for a status that is none of the
	 * other constants
	 */
	public static TaskState of(@Nullable String status) {
		if (status == null) {
			return PENDING;
		}
		// a switch on the name, not valueOf: an unknown status is a state of the task's own, not an error
		return switch (status) {
			case "PENDING" -> PENDING;
			case "RECEIVED" -> RECEIVED;
			case "STARTED" -> STARTED;
			case "SUCCESS" -> SUCCESS;
			case "FAILURE" -> FAILURE;
			case "RETRY" -> RETRY;
			case "REVOKED" -> REVOKED;
			default -> CUSTOM;
		};
	}

	/**
	 * Whether this state is final: the task will not change state again.
	 * @return {@code true} for SUCCESS, FAILURE and REVOKED
	 */
	public boolean isReady() {
		return this.ready;
	}

}
