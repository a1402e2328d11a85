package dev.taskqueue.listener;

/**
 * How one run of a task ended, as {@link TaskListener#postrun(TaskEvent, TaskOutcome)} and the
 * {@code outcome} tag of the {@code taskqueue.tasks.execution} timer name it.
 */
public enum TaskOutcome {

	/** The task returned (Celery's {@code SUCCESS}). */
	SUCCESS,

	/** The task raised, or outlived a time limit, and will not run again (Celery's {@code FAILURE}). */
	FAILURE,

	/** The task raised and its next run was published (Celery's {@code RETRY}). */
	RETRY,

	/** The task was revoked or expired before it ran, or terminated while it ran (Celery's {@code REVOKED}). */
	REVOKED,

	/** The message was dead-lettered: its arguments did not bind, or its retries were used up. */
	REJECTED;

	/**
	 * The outcome as metrics tag it: its name in lower case.
	 * @return {@code success}, {@code failure}, {@code retry}, {@code revoked} or {@code rejected}
	 */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
