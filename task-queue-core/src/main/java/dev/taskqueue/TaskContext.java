package dev.taskqueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a running task can know about itself. Read it with {@link #current()} from the task's thread, or
 * declare a parameter of this type on the {@link Task @Task} method:
 * <pre>{@code
 * @Task("reports.render")
 * Report render(UUID id, TaskContext context) {
 *     log.info("rendering {} as task {} (try {})", id, context.taskId(), context.retries() + 1);
 * }
 * }</pre>
 * It is Celery's {@code self.request}: besides the task's own id, name and retries, the workflow it is part of
 * (parent, root, group, chord, callbacks), and what a task may do to its own result: report a state of its own
 * ({@link #updateState}) or hand its place to another task ({@link #replace}).
 */
public interface TaskContext {

	/**
	 * The task's id.
	 * @return the id
	 */
	String taskId();

	/**
	 * The task's name.
	 * @return the name
	 */
	String taskName();

	/**
	 * How many times the task has been retried before this run.
	 * @return 0 for the first run
	 */
	int retries();

	/**
	 * The message's headers: the protocol's and any the sender added.
	 * @return the headers
	 */
	Map<String, Object> headers();

	/**
	 * The queue the message was delivered from.
	 * @return the queue name
	 */
	String queue();

	/**
	 * Whether the broker delivered this message before (to a worker that did not acknowledge it).
	 * @return {@code true} if redelivered
	 */
	boolean redelivered();

	/**
	 * The task that sent this one (Celery's {@code request.parent_id}): the previous step of a chain, the task
	 * a callback follows, or a task that sent this one while it ran.
	 * @return the parent's id, or {@code null} for a task sent from outside any task
	 */
	default @Nullable String parentId() {
		return null;
	}

	/**
	 * The first task of the workflow this one belongs to (Celery's {@code request.root_id}).
	 * @return the root's id: this task's own for a task sent on its own
	 */
	default String rootId() {
		return taskId();
	}

	/**
	 * The group this task is part of (Celery's {@code request.group}), a chord's header included.
	 * @return the group's id, or {@code null}
	 */
	default @Nullable String groupId() {
		return null;
	}

	/**
	 * The task's position in its chord's header (Celery's {@code request.group_index}).
	 * @return the position, or {@code null} outside a chord's header
	 */
	default @Nullable Integer groupIndex() {
		return null;
	}

	/**
	 * The body of the chord whose header this task is part of (Celery's {@code request.chord}), as Celery's
	 * signature dict ({@code dev.taskqueue.canvas.Canvas.fromMap} reads it).
	 * @return the body, or {@code null}
	 */
	default @Nullable Map<String, Object> chord() {
		return null;
	}

	/**
	 * What is applied with this task's result once it succeeds (Celery's {@code request.callbacks}), as
	 * signature dicts.
	 * @return the callbacks, possibly empty
	 */
	default List<Map<String, Object>> callbacks() {
		return List.of();
	}

	/**
	 * What is applied if this task fails (Celery's {@code request.errbacks}), as signature dicts.
	 * @return the errbacks, possibly empty
	 */
	default List<Map<String, Object>> errbacks() {
		return List.of();
	}

	/**
	 * The rest of the chain this task is a step of (Celery's {@code request.chain}): the remaining steps in
	 * reverse order, the next one last, as signature dicts.
	 * @return the rest of the chain, possibly empty
	 */
	default List<Map<String, Object>> chain() {
		return List.of();
	}

	/**
	 * Store a state of the task's own with its meta while it runs, as Celery's
	 * {@code self.update_state(state='PROGRESS', meta={...})}: a client reads it as {@link TaskState#CUSTOM}, its
	 * name as {@link AsyncResult#status()} and its meta as {@link AsyncResult#meta()}. A known state's name
	 * ({@code STARTED}, ...) stores that state.
	 * @param state the state's name, such as {@code PROGRESS}
	 * @param meta what to store with it, in plain values
	 * @throws UnsupportedOperationException outside a worker
	 */
	default void updateState(String state, Map<String, ?> meta) {
		throw new UnsupportedOperationException("Only a running task can store a state of its own");
	}

	/**
	 * An exception to throw to hand this task's place to another (Celery's {@code self.replace(sig)}): the
	 * replacement takes this task's id, callbacks, errbacks, group, chord and the rest of its chain, so whoever
	 * waits for this task gets the replacement's result. Nothing is stored for this run.
	 * <pre>{@code
	 * throw context.replace(Chain.of(Signature.of(Tasks::fetch, url)).then(Signature.partial(Tasks::parse)).toMap());
	 * }</pre>
	 * @param signature the replacement, as Celery's signature dict ({@code Canvas.toMap()} of a signature,
	 * chain, group or chord)
	 * @return the exception, to throw
	 */
	default TaskReplacedException replace(Map<String, ?> signature) {
		return new TaskReplacedException(signature);
	}

	/**
	 * Record that this task sent a task or a group while it ran (Celery's {@code add_trail}): it is stored as one of
	 * the task's {@code children}. The client calls it; applications need not.
	 * @param resultTuple Celery's result tuple of what was sent ({@code [[id, null], null]} for a task)
	 */
	default void addChild(List<?> resultTuple) {
	}

	/**
	 * An exception to throw to run this task again after {@code countdown}.
	 * @param cause why this run failed
	 * @param countdown how long to wait, or {@code null} for the task's retry delay
	 * @return the exception, to throw
	 */
	default TaskRetryException retry(Throwable cause, @Nullable Duration countdown) {
		return new TaskRetryException(cause, countdown);
	}

	/**
	 * An exception to throw to run this task again after its retry delay.
	 * @param cause why this run failed
	 * @return the exception, to throw
	 */
	default TaskRetryException retry(Throwable cause) {
		return new TaskRetryException(cause, null);
	}

	/**
	 * The context of the task running on this thread.
	 * @return the context
	 * @throws IllegalStateException when no task is running on this thread
	 */
	static TaskContext current() {
		TaskContext context = TaskContextHolder.get();
		if (context == null) {
			throw new IllegalStateException("No task is running on thread " + Thread.currentThread().getName());
		}
		return context;
	}

}
