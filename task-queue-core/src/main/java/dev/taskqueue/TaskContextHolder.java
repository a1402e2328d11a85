package dev.taskqueue;

import org.jspecify.annotations.Nullable;

/**
 * Binds the running task's {@link TaskContext} to the worker thread. Used by the worker; tasks read it
 * through {@link TaskContext#current()}.
 */
public final class TaskContextHolder {

	private static final ThreadLocal<@Nullable TaskContext> CURRENT = new ThreadLocal<>();

	private TaskContextHolder() {
	}

	/**
	 * The context bound to this thread.
	 * @return the context, or {@code null}
	 */
	public static @Nullable TaskContext get() {
		return CURRENT.get();
	}

	/**
	 * Bind a context to this thread, or unbind with {@code null}.
	 * @param context the context
	 */
	public static void set(@Nullable TaskContext context) {
		if (context == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(context);
		}
	}

}
