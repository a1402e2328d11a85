package dev.taskqueue.result;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskState;
import dev.taskqueue.protocol.IsoTime;

/**
 * A task's state and result, as Celery's result backends store it ({@code celery-task-meta-<id>}).
 * <p>
 * The status is kept as stored: states are open in Celery, and a task may store one of its own
 * ({@code update_state(state='PROGRESS', meta={...})}); {@link #state()} reads such a status as
 * {@link TaskState#CUSTOM}, never failing on it.
 *
 * @param taskId the task's id
 * @param status its state's name as stored: one of {@link TaskState}'s, or a state of the task's own
 * @param result the return value (plain values) for SUCCESS; the exception document
 * ({@code exc_type}, {@code exc_message}, {@code exc_module}) for FAILURE, RETRY and REVOKED; the worker
 * for STARTED; the meta of a state of the task's own
 * @param traceback the traceback of a failure, or {@code null}
 * @param dateDone when the task finished, or {@code null} while it has not
 * @param groupId the group the task belongs to ({@code group_id}), or {@code null}
 * @param parentId the task that sent this one ({@code parent_id}), or {@code null}
 * @param children the tasks this one sent while it ran or as its workflow's next steps, as Celery's result
 * tuples ({@code [["<id>", null], null]} for a task, {@code [["<group id>", null], [...members]]} for a group)
 */
public record TaskResult(String taskId, String status, @Nullable Object result, @Nullable String traceback,
		@Nullable Instant dateDone, @Nullable String groupId, @Nullable String parentId, List<Object> children) {

	/** Celery's module for its own exceptions ({@code NotRegistered}, {@code TaskRevokedError}). */
	public static final String CELERY_EXCEPTIONS = "celery.exceptions";

	/**
	 * Check the result.
	 */
	public TaskResult {
		if (status == null || status.isEmpty()) {
			throw new IllegalArgumentException("a task result needs a status");
		}
		children = (children != null) ? children : List.of();
	}

	/**
	 * A result of a task that is part of no workflow.
	 * @param taskId the task's id
	 * @param status its state's name as stored
	 * @param result the stored value (see the record's description)
	 * @param traceback the traceback of a failure, or {@code null}
	 * @param dateDone when the task finished, or {@code null} while it has not
	 */
	public TaskResult(String taskId, String status, @Nullable Object result, @Nullable String traceback,
			@Nullable Instant dateDone) {
		this(taskId, status, result, traceback, dateDone, null, null, List.of());
	}

	/**
	 * A result in one of the known states.
	 * @param taskId the task's id
	 * @param state its state (not {@link TaskState#CUSTOM}: a state of the task's own is given by its name)
	 * @param result the stored value (see the record's description)
	 * @param traceback the traceback of a failure, or {@code null}
	 * @param dateDone when the task finished, or {@code null} while it has not
	 */
	public TaskResult(String taskId, TaskState state, @Nullable Object result, @Nullable String traceback,
			@Nullable Instant dateDone) {
		this(taskId, known(state), result, traceback, dateDone);
	}

	private static String known(TaskState state) {
		if (state == TaskState.CUSTOM) {
			throw new IllegalArgumentException("a state of the task's own is stored by its name, not as CUSTOM");
		}
		return state.name();
	}

	/**
	 * This result with the workflow it belongs to, as Celery stores it: the group, the parent and the children.
	 * @param groupId the group, or {@code null}
	 * @param parentId the parent task, or {@code null}
	 * @param children the children as Celery's result tuples
	 * @return a new result
	 */
	public TaskResult withWorkflow(@Nullable String groupId, @Nullable String parentId, List<Object> children) {
		return new TaskResult(this.taskId, this.status, this.result, this.traceback, this.dateDone, groupId, parentId,
				children);
	}

	/**
	 * Whether the result names a group, a parent or children.
	 * @return {@code true} if it is part of a workflow
	 */
	public boolean hasWorkflow() {
		return this.groupId != null || this.parentId != null || !this.children.isEmpty();
	}

	/**
	 * The ids of the children, in order, whether tasks or groups (whose members are not listed).
	 * @return the ids
	 */
	public List<String> childIds() {
		List<String> ids = new ArrayList<>(this.children.size());
		for (Object child : this.children) {
			String id = ResultTuples.id(child);
			if (id != null) {
				ids.add(id);
			}
		}
		return ids;
	}

	/**
	 * The state the status stands for.
	 * @return the state; {@link TaskState#CUSTOM} for a state of the task's own
	 */
	public TaskState state() {
		return TaskState.of(this.status);
	}

	/**
	 * A successful result.
	 * @param taskId the task
	 * @param value its return value, as plain values
	 * @param at when it finished
	 * @return the result
	 */
	public static TaskResult success(String taskId, @Nullable Object value, Instant at) {
		return new TaskResult(taskId, TaskState.SUCCESS, value, null, at);
	}

	/**
	 * A failure from a Java exception. Celery peers see the exception's simple class name as
	 * {@code exc_type}, its package as {@code exc_module} and its message as {@code exc_message}.
	 * @param taskId the task
	 * @param error the exception
	 * @param at when it failed
	 * @return the result
	 */
	public static TaskResult failure(String taskId, Throwable error, @Nullable Instant at) {
		Class<?> type = error.getClass();
		String module = type.getPackageName();
		String name = type.getName().substring(module.isEmpty() ? 0 : module.length() + 1);
		return failure(taskId, name, module, error.getMessage(), stackTrace(error), at);
	}

	/**
	 * A failure described by its parts.
	 * @param taskId the task
	 * @param type the exception type's name
	 * @param module the exception type's module or package
	 * @param message the exception message
	 * @param traceback the traceback, or {@code null}
	 * @param at when it failed
	 * @return the result
	 */
	public static TaskResult failure(String taskId, String type, @Nullable String module, @Nullable String message,
			@Nullable String traceback, @Nullable Instant at) {
		return new TaskResult(taskId, TaskState.FAILURE, exception(type, module, message), traceback, at);
	}

	/**
	 * A task that failed this time and will run again, with the exception that made it retry.
	 * @param taskId the task
	 * @param error why it is retried
	 * @return the result
	 */
	public static TaskResult retry(String taskId, Throwable error) {
		TaskResult failure = failure(taskId, error, null);
		return new TaskResult(taskId, TaskState.RETRY, failure.result(), failure.traceback(), null);
	}

	/**
	 * A task that was not run because it was revoked or had expired, as Celery records it.
	 * @param taskId the task
	 * @param reason {@code "revoked"} or {@code "expired"}
	 * @param at when
	 * @return the result
	 */
	public static TaskResult revoked(String taskId, String reason, Instant at) {
		return new TaskResult(taskId, TaskState.REVOKED, exception("TaskRevokedError", CELERY_EXCEPTIONS, reason), null,
				at);
	}

	/**
	 * A task that has started, with the worker running it (Celery's {@code track_started}).
	 * @param taskId the task
	 * @param hostname the worker's name
	 * @param pid the worker's process id
	 * @return the result
	 */
	public static TaskResult started(String taskId, String hostname, long pid) {
		Map<String, Object> worker = new LinkedHashMap<>();
		worker.put("pid", pid);
		worker.put("hostname", hostname);
		return new TaskResult(taskId, TaskState.STARTED, worker, null, null);
	}

	/**
	 * How the task failed, if it did.
	 * @return the failure for FAILURE, RETRY and REVOKED; {@code null} otherwise
	 */
	public @Nullable TaskFailure toFailure() {
		TaskState state = state();
		if (state != TaskState.FAILURE && state != TaskState.REVOKED && state != TaskState.RETRY) {
			return null;
		}
		if (!(this.result instanceof Map<?, ?> exception)) {
			return new TaskFailure("Unknown", String.valueOf(this.result), this.traceback);
		}
		Object type = exception.get("exc_type");
		Object module = exception.get("exc_module");
		String qualified = (module == null || "builtins".equals(module) || "".equals(module)) ? String.valueOf(type)
				: module + "." + type;
		return new TaskFailure(qualified, message(exception.get("exc_message")), this.traceback);
	}

	/**
	 * The result as Celery's JSON document, keys in Celery's order.
	 * @return the document
	 */
	public Map<String, @Nullable Object> toDocument() {
		Map<String, @Nullable Object> document = new LinkedHashMap<>();
		document.put("status", this.status);
		document.put("result", this.result);
		document.put("traceback", this.traceback);
		document.put("children", this.children);
		document.put("date_done", (this.dateDone != null) ? IsoTime.naive(this.dateDone) : null);
		// only when set, as Celery writes them
		if (this.groupId != null) {
			document.put("group_id", this.groupId);
		}
		if (this.parentId != null) {
			document.put("parent_id", this.parentId);
		}
		document.put("task_id", this.taskId);
		return document;
	}

	/**
	 * Read Celery's JSON document, whatever its status: a state of the task's own is kept as it is.
	 * @param document the document
	 * @return the result
	 */
	public static TaskResult fromDocument(Map<String, @Nullable Object> document) {
		Object dateDone = document.get("date_done");
		Object status = document.get("status");
		Object traceback = document.get("traceback");
		Object groupId = document.get("group_id");
		Object parentId = document.get("parent_id");
		Object children = document.get("children");
		return new TaskResult((String) document.get("task_id"),
				(status != null && !status.toString().isEmpty()) ? status.toString() : TaskState.PENDING.name(),
				document.get("result"), (traceback != null) ? traceback.toString() : null,
				(dateDone != null) ? IsoTime.parse(dateDone.toString()) : null,
				(groupId instanceof String text) ? text : null, (parentId instanceof String text) ? text : null,
				(children instanceof List<?> list) ? new ArrayList<>(list) : List.of());
	}

	private static Map<String, @Nullable Object> exception(String type, @Nullable String module,
			@Nullable String message) {
		Map<String, @Nullable Object> exception = new LinkedHashMap<>();
		exception.put("exc_type", type);
		List<Object> args = new ArrayList<>(1);
		if (message != null) {
			args.add(message);
		}
		exception.put("exc_message", args);
		exception.put("exc_module", module);
		return exception;
	}

	private static String message(@Nullable Object excMessage) {
		// Celery stores the exception's args: a list, usually of one string
		if (excMessage instanceof List<?> args) {
			return (args.size() == 1) ? String.valueOf(args.get(0)) : args.toString();
		}
		return String.valueOf(excMessage);
	}

	private static String stackTrace(Throwable error) {
		StringWriter out = new StringWriter();
		error.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

}
