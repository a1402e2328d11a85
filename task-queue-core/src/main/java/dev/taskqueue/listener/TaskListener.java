package dev.taskqueue.listener;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Told of the moments of a task's life, as Celery's signals are. Every method does nothing by default; a
 * listener implements the moments it needs. In an application every bean of this type is called, in
 * {@link org.springframework.core.annotation.Order order}.
 * <p>
 * A listener must be quick (it runs on the hot path) and must not throw: one that throws is logged and skipped,
 * and never fails the task, the send or the worker.
 * <p>
 * Threads and order, for one task: {@link #beforePublish} and {@link #afterPublish} run on the sender's thread
 * ({@code afterPublish} of an asynchronous send on the thread that completes it). On the worker, {@link #received},
 * {@link #prerun}, then the task, then one of {@link #succeeded}, {@link #failed} or {@link #retried}, then
 * {@link #postrun}, all on the worker thread that runs it, before the outcome is stored and the message settled.
 * A task whose retries are used up and whose message is dead-lettered gets {@link #failed}, {@link #rejected},
 * then {@link #postrun} {@code REJECTED}; one whose arguments do not bind gets {@link #rejected} and
 * {@link #postrun} {@code REJECTED}; one revoked with terminate while it ran gets {@link #revoked}
 * ({@code terminated}) and {@link #postrun} {@code REVOKED}. A task that outlives its hard time limit gets
 * {@link #failed} and {@link #postrun} on the time limiter's thread. A message that is not run gets
 * {@link #received} and then {@link #unknownTask} or {@link #revoked} ({@code revoked}, {@code expired}), on
 * the worker thread; one that cannot be decoded gets only {@link #rejected}. A message not yet due (an eta) is
 * handed back to the broker and gets no moment until it is. A task still running when a stopping worker gave its
 * message back gets {@link #postrun} {@code RETRY}: it runs again.
 */
public interface TaskListener {

	/**
	 * Before a task is published (Celery's {@code before_task_publish}): headers put into the map travel with the
	 * message (tracing's {@code traceparent}).
	 * @param task the task being sent
	 * @param headers the message's extra headers, mutable
	 */
	default void beforePublish(TaskEvent task, Map<String, Object> headers) {
	}

	/**
	 * After a task was published, or failed to be (Celery's {@code after_task_publish}).
	 * @param task the task sent
	 * @param error why the broker did not take it, or {@code null} once it did
	 */
	default void afterPublish(TaskEvent task, @Nullable Throwable error) {
	}

	/**
	 * A worker received the task's message and decoded it (Celery's {@code task_received}).
	 * @param task the task
	 */
	default void received(TaskEvent task) {
	}

	/**
	 * Just before the task runs, on its thread (Celery's {@code task_prerun}).
	 * @param task the task
	 */
	default void prerun(TaskEvent task) {
	}

	/**
	 * After the task ran and its outcome was decided (Celery's {@code task_postrun}).
	 * @param task the task, whose {@link TaskEvent#runtime()} is now known
	 * @param outcome how it ended
	 */
	default void postrun(TaskEvent task, TaskOutcome outcome) {
	}

	/**
	 * The task returned (Celery's {@code task_success}).
	 * @param task the task
	 * @param result what it returned
	 */
	default void succeeded(TaskEvent task, @Nullable Object result) {
	}

	/**
	 * The task raised, or outlived a time limit, and will not run again (Celery's {@code task_failure}).
	 * @param task the task
	 * @param error what it raised
	 */
	default void failed(TaskEvent task, Throwable error) {
	}

	/**
	 * The task raised and its next run was published (Celery's {@code task_retry}).
	 * @param task the task
	 * @param reason what it raised
	 * @param countdown when the next run is due
	 */
	default void retried(TaskEvent task, Throwable reason, Duration countdown) {
	}

	/**
	 * The task was revoked, expired before it ran, or was terminated while it ran (Celery's {@code task_revoked}).
	 * @param task the task
	 * @param reason {@code revoked}, {@code expired} or {@code terminated}
	 */
	default void revoked(TaskEvent task, String reason) {
	}

	/**
	 * The message was dead-lettered (Celery's {@code task_rejected}): its arguments did not bind, its retries
	 * were used up, or it could not be decoded (then {@code task} holds what could be read).
	 * @param task the task
	 * @param reason why
	 */
	default void rejected(TaskEvent task, String reason) {
	}

	/**
	 * The message named a task this worker does not know (Celery's {@code task_unknown}); it is dead-lettered.
	 * @param task the task, with the name as the message gave it
	 */
	default void unknownTask(TaskEvent task) {
	}

	/**
	 * A worker consumes its queues (Celery's {@code worker_ready}), on the thread that started it.
	 * @param worker the worker
	 */
	default void workerReady(WorkerEvent worker) {
	}

	/**
	 * A worker begins to stop (Celery's {@code worker_shutting_down}), on the thread that stops it.
	 * @param worker the worker
	 */
	default void workerStopping(WorkerEvent worker) {
	}

}
