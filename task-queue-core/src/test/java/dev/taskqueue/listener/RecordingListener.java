package dev.taskqueue.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A listener that writes down every moment it is told of, with the event, the thread and what came with it.
 */
public class RecordingListener implements TaskListener {

	private final List<Moment> moments = new CopyOnWriteArrayList<>();

	/**
	 * Every moment so far, in order.
	 * @return the moments
	 */
	public List<Moment> moments() {
		return List.copyOf(this.moments);
	}

	/**
	 * The moments of one task, by name: {@code postrun} and {@code revoked} with what came with them
	 * ({@code postrun SUCCESS}, {@code revoked expired}).
	 * @param taskId the task's id
	 * @return the names, in order
	 */
	public List<String> of(String taskId) {
		return this.moments.stream()
			.filter((moment) -> moment.task() != null && moment.task().taskId().equals(taskId))
			.map(Moment::label)
			.toList();
	}

	/**
	 * The last moment of a task with the given name.
	 * @param taskId the task's id
	 * @param name the moment
	 * @return it
	 * @throws AssertionError if there is none
	 */
	public Moment last(String taskId, String name) {
		List<Moment> found = this.moments.stream()
			.filter((moment) -> moment.task() != null && moment.task().taskId().equals(taskId)
					&& moment.name().equals(name))
			.toList();
		if (found.isEmpty()) {
			throw new AssertionError("No " + name + " of task " + taskId + " in " + this.moments);
		}
		return found.get(found.size() - 1);
	}

	private void record(String name, @Nullable TaskEvent task, @Nullable WorkerEvent worker, @Nullable Object detail) {
		this.moments.add(new Moment(name, task, worker, detail, Thread.currentThread().getName()));
	}

	@Override
	public void beforePublish(TaskEvent task, Map<String, Object> headers) {
		record("beforePublish", task, null, null);
	}

	@Override
	public void afterPublish(TaskEvent task, @Nullable Throwable error) {
		record("afterPublish", task, null, error);
	}

	@Override
	public void received(TaskEvent task) {
		record("received", task, null, null);
	}

	@Override
	public void prerun(TaskEvent task) {
		record("prerun", task, null, null);
	}

	@Override
	public void postrun(TaskEvent task, TaskOutcome outcome) {
		record("postrun", task, null, outcome);
	}

	@Override
	public void succeeded(TaskEvent task, @Nullable Object result) {
		record("succeeded", task, null, result);
	}

	@Override
	public void failed(TaskEvent task, Throwable error) {
		record("failed", task, null, error);
	}

	@Override
	public void retried(TaskEvent task, Throwable reason, Duration countdown) {
		record("retried", task, null, reason);
	}

	@Override
	public void revoked(TaskEvent task, String reason) {
		record("revoked", task, null, reason);
	}

	@Override
	public void rejected(TaskEvent task, String reason) {
		record("rejected", task, null, reason);
	}

	@Override
	public void unknownTask(TaskEvent task) {
		record("unknownTask", task, null, null);
	}

	@Override
	public void workerReady(WorkerEvent worker) {
		record("workerReady", null, worker, null);
	}

	@Override
	public void workerStopping(WorkerEvent worker) {
		record("workerStopping", null, worker, null);
	}

	/**
	 * One moment as a listener was told of it.
	 *
	 * @param name the method called
	 * @param task the task's event, or {@code null} for a worker's moment
	 * @param worker the worker's event, or {@code null} for a task's moment
	 * @param detail what came with it: the outcome, result, error or reason
	 * @param thread the thread it was called on
	 */
	public record Moment(String name, @Nullable TaskEvent task, @Nullable WorkerEvent worker, @Nullable Object detail,
			String thread) {

		String label() {
			return (this.name.equals("postrun") || this.name.equals("revoked")) ? this.name + " " + this.detail
					: this.name;
		}

	}

}
