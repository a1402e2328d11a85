package dev.taskqueue;

import org.jspecify.annotations.Nullable;

/**
 * Why a task failed, as a result backend records it.
 *
 * @param type the exception's type: a Java class name ({@code java.lang.IllegalArgumentException}) or,
 * for a task run by Python Celery, its exception class ({@code ValueError})
 * @param message the exception's message
 * @param traceback the stack trace or Python traceback, or {@code null} if none was recorded
 */
public record TaskFailure(String type, String message, @Nullable String traceback) {

	@Override
	public String toString() {
		return this.type + ": " + this.message;
	}

}
