package dev.taskqueue.result;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskQueueException;

/**
 * {@code taskqueue.result-backend=none}: no result is stored, and asking for one fails with a clear message.
 */
public class DisabledResultBackend implements ResultBackend {

	@Override
	public void store(TaskResult result) {
	}

	@Override
	public @Nullable TaskResult fetch(String taskId) {
		return null;
	}

	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		return CompletableFuture.failedFuture(new TaskQueueException(
				"No result backend is configured (taskqueue.result-backend=none): task " + taskId
						+ " was sent, but its result is not stored"));
	}

	@Override
	public void forget(String taskId) {
	}

	/**
	 * Chords need results: refused, as Celery refuses them without a result backend.
	 */
	@Override
	public void ensureChordsAllowed() {
		throw new UnsupportedOperationException(
				"Chords need a result backend (taskqueue.result-backend=none stores no result)");
	}

}
