package dev.taskqueue.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.ResultTimeoutException;
import dev.taskqueue.TaskQueueException;
import dev.taskqueue.TaskState;
import dev.taskqueue.canvas.GroupResult;
import dev.taskqueue.result.TaskResult;

/**
 * A {@link GroupResult} that reads its tasks' results from the result backend. Joining waits on every task's
 * notification at once, so a group of thousands is joined in about the time its slowest task takes.
 */
final class BackendGroupResult implements GroupResult {

	private final String id;

	private final List<String> taskIds;

	private final AsyncResultFactory factory;

	BackendGroupResult(String id, List<String> taskIds, AsyncResultFactory factory) {
		this.id = id;
		this.taskIds = List.copyOf(taskIds);
		this.factory = factory;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public List<AsyncResult<Object>> results() {
		List<AsyncResult<Object>> results = new ArrayList<>(this.taskIds.size());
		this.taskIds.forEach((taskId) -> results.add(this.factory.create(taskId, Object.class)));
		return results;
	}

	@Override
	public int completedCount() {
		return (int) states().stream().filter((state) -> state == TaskState.SUCCESS).count();
	}

	@Override
	public boolean ready() {
		return states().stream().allMatch(TaskState::isReady);
	}

	@Override
	public boolean successful() {
		return states().stream().allMatch((state) -> state == TaskState.SUCCESS);
	}

	@Override
	public boolean failed() {
		return states().stream().anyMatch((state) -> state == TaskState.FAILURE || state == TaskState.REVOKED);
	}

	private List<TaskState> states() {
		List<TaskState> states = new ArrayList<>(this.taskIds.size());
		for (String taskId : this.taskIds) {
			TaskResult result = this.factory.backend().fetch(taskId);
			states.add((result != null) ? result.state() : TaskState.PENDING);
		}
		return states;
	}

	@Override
	public List<@Nullable Object> join(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<CompletableFuture<Object>> futures = new ArrayList<>(this.taskIds.size());
		for (AsyncResult<Object> result : results()) {
			futures.add(result.toCompletableFuture());
		}
		List<@Nullable Object> values = new ArrayList<>(futures.size());
		for (int i = 0; i < futures.size(); i++) {
			long left = Math.max(0, deadline - System.nanoTime());
			try {
				values.add(futures.get(i).get(left, TimeUnit.NANOSECONDS));
			}
			catch (TimeoutException ex) {
				throw new ResultTimeoutException(this.taskIds.get(i), timeout);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new TaskQueueException("Interrupted while joining group " + this.id, ex);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new TaskQueueException("Could not read the results of group " + this.id, ex.getCause());
			}
		}
		return values;
	}

	@Override
	public GroupResult save() {
		this.factory.backend().saveGroup(this.id, this.taskIds);
		return this;
	}

	@Override
	public void delete() {
		this.factory.backend().forgetGroup(this.id);
	}

	@Override
	public String toString() {
		return "GroupResult[" + this.id + ", " + this.taskIds.size() + " tasks]";
	}

}
