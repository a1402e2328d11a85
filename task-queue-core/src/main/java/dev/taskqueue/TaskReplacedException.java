package dev.taskqueue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a task to hand its place to another, as Celery's {@code self.replace(sig)} (which raises
 * {@code Ignore}): made by {@link TaskContext#replace(Map)}. The worker sends the replacement with this task's
 * id and workflow, stores nothing for this run and acknowledges its message.
 */
public class TaskReplacedException extends RuntimeException {

	private final transient Map<String, @Nullable Object> signature;

	/**
	 * Ask to be replaced.
	 * @param signature the replacement, as Celery's signature dict
	 */
	public TaskReplacedException(Map<String, ?> signature) {
		super("Replaced by " + signature.get("task"), null, false, false);
		this.signature = Collections.unmodifiableMap(new LinkedHashMap<>(signature));
	}

	/**
	 * The replacement.
	 * @return Celery's signature dict of the replacement
	 */
	public Map<String, @Nullable Object> getSignature() {
		return this.signature;
	}

}
