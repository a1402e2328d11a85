package dev.taskqueue.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.ResultTimeoutException;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskQueueException;
import dev.taskqueue.TaskRevokedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;
import dev.taskqueue.result.TaskResult;

/**
 * An {@link AsyncResult} that reads the result backend.
 *
 * @param <T> the result type
 */
final class BackendAsyncResult<T> implements AsyncResult<T> {

	private final String id;

	private final ResultBackend backend;

	private final Function<Object, T> converter;

	private final AsyncResultFactory factory;

	private final @Nullable AsyncResult<Object> parent;

	BackendAsyncResult(String id, ResultBackend backend, Function<Object, T> converter, AsyncResultFactory factory,
			@Nullable AsyncResult<Object> parent) {
		this.id = id;
		this.backend = backend;
		this.converter = converter;
		this.factory = factory;
		this.parent = parent;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public TaskState state() {
		TaskResult result = this.backend.fetch(this.id);
		return (result != null) ? result.state() : TaskState.PENDING;
	}

	@Override
	public String status() {
		TaskResult result = this.backend.fetch(this.id);
		return (result != null) ? result.status() : TaskState.PENDING.name();
	}

	@Override
	public @Nullable Object info() {
		TaskResult result = this.backend.fetch(this.id);
		return (result != null) ? result.result() : null;
	}

	@Override
	@SuppressWarnings("unchecked")
	public Map<String, Object> meta() {
		// one read: the state and its meta belong together
		TaskResult result = this.backend.fetch(this.id);
		if (result == null || !(result.result() instanceof Map<?, ?> meta)) {
			return Map.of();
		}
		TaskState state = result.state();
		return (state == TaskState.CUSTOM || state == TaskState.STARTED) ? (Map<String, Object>) meta : Map.of();
	}

	@Override
	public Optional<TaskFailure> failure() {
		TaskResult result = this.backend.fetch(this.id);
		return Optional.ofNullable((result != null) ? result.toFailure() : null);
	}

	@Override
	public @Nullable T get(Duration timeout) {
		try {
			return valueOf(this.backend.whenReady(this.id).get(timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			throw new ResultTimeoutException(this.id, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskQueueException("Interrupted while waiting for task " + this.id, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new TaskQueueException("Could not read the result of task " + this.id, ex.getCause());
		}
	}

	@Override
	public CompletableFuture<T> toCompletableFuture() {
		return this.backend.whenReady(this.id).thenApply(this::valueOf);
	}

	@Override
	public <U> AsyncResult<U> as(Class<U> type) {
		return this.factory.create(this.id, type, this.parent);
	}

	@Override
	public Optional<AsyncResult<Object>> parent() {
		if (this.parent != null) {
			return Optional.of(this.parent);
		}
		TaskResult result = this.backend.fetch(this.id);
		String parentId = (result != null) ? result.parentId() : null;
		return Optional.ofNullable((parentId != null) ? this.factory.create(parentId, Object.class) : null);
	}

	@Override
	public List<AsyncResult<Object>> children() {
		TaskResult result = this.backend.fetch(this.id);
		if (result == null) {
			return List.of();
		}
		List<AsyncResult<Object>> children = new ArrayList<>();
		for (Object child : result.children()) {
			ResultTuples.taskIds(child).forEach((id) -> children.add(this.factory.create(id, Object.class)));
		}
		return children;
	}

	private @Nullable T valueOf(TaskResult result) {
		return switch (result.state()) {
			case SUCCESS -> this.converter.apply(result.result());
			case REVOKED -> throw new TaskRevokedException(this.id, result.toFailure());
			default -> throw new TaskFailedException(this.id, result.toFailure());
		};
	}

	@Override
	public String toString() {
		return "AsyncResult[" + this.id + "]";
	}

}
