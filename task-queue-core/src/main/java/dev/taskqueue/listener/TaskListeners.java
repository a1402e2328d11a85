package dev.taskqueue.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners called in order, each in its own try: a listener that throws is logged (with the moment and the
 * task) and the next one is called; nothing a listener does fails the task, the send or the worker.
 */
public final class TaskListeners implements TaskListener {

	private static final Logger logger = LoggerFactory.getLogger(TaskListeners.class);

	/** No listener at all: every moment costs one check of {@link #isEmpty()}. */
	public static final TaskListeners NONE = new TaskListeners(List.of());

	private final TaskListener[] listeners;

	private TaskListeners(List<? extends TaskListener> listeners) {
		this.listeners = listeners.toArray(new TaskListener[0]);
	}

	/**
	 * The listeners, called in the order given.
	 * @param listeners the listeners
	 * @return them together
	 */
	public static TaskListeners of(List<? extends TaskListener> listeners) {
		return listeners.isEmpty() ? NONE : new TaskListeners(listeners);
	}

	/**
	 * Whether there is no listener, so that callers can skip making events.
	 * @return {@code true} without listeners
	 */
	public boolean isEmpty() {
		return this.listeners.length == 0;
	}

	private void each(String moment, Object subject, Consumer<TaskListener> call) {
		for (TaskListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException | LinkageError ex) {
				logger.warn("Task listener {} failed at {} of {}; ignored", listener.getClass().getName(), moment,
						subject, ex);
			}
		}
	}

	@Override
	public void beforePublish(TaskEvent task, Map<String, Object> headers) {
		each("beforePublish", task, (listener) -> listener.beforePublish(task, headers));
	}

	@Override
	public void afterPublish(TaskEvent task, @Nullable Throwable error) {
		each("afterPublish", task, (listener) -> listener.afterPublish(task, error));
	}

	@Override
	public void received(TaskEvent task) {
		each("received", task, (listener) -> listener.received(task));
	}

	@Override
	public void prerun(TaskEvent task) {
		each("prerun", task, (listener) -> listener.prerun(task));
	}

	@Override
	public void postrun(TaskEvent task, TaskOutcome outcome) {
		each("postrun", task, (listener) -> listener.postrun(task, outcome));
	}

	@Override
	public void succeeded(TaskEvent task, @Nullable Object result) {
		each("succeeded", task, (listener) -> listener.succeeded(task, result));
	}

	@Override
	public void failed(TaskEvent task, Throwable error) {
		each("failed", task, (listener) -> listener.failed(task, error));
	}

	@Override
	public void retried(TaskEvent task, Throwable reason, Duration countdown) {
		each("retried", task, (listener) -> listener.retried(task, reason, countdown));
	}

	@Override
	public void revoked(TaskEvent task, String reason) {
		each("revoked", task, (listener) -> listener.revoked(task, reason));
	}

	@Override
	public void rejected(TaskEvent task, String reason) {
		each("rejected", task, (listener) -> listener.rejected(task, reason));
	}

	@Override
	public void unknownTask(TaskEvent task) {
		each("unknownTask", task, (listener) -> listener.unknownTask(task));
	}

	@Override
	public void workerReady(WorkerEvent worker) {
		each("workerReady", worker.worker(), (listener) -> listener.workerReady(worker));
	}

	@Override
	public void workerStopping(WorkerEvent worker) {
		each("workerStopping", worker.worker(), (listener) -> listener.workerStopping(worker));
	}

}
