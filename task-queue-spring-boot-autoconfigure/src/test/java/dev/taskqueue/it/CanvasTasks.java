package dev.taskqueue.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

import dev.taskqueue.Task;
import dev.taskqueue.TaskFailure;

/**
 * The Java side's tasks of the canvas interop tests ({@code canvas.java.*}), the twins of
 * {@code src/test/python/canvas/canvas_celery.py}'s {@code canvas.py.*}. The errbacks leave their traces in
 * {@link #ERRORS}, which the test (in the same JVM) reads.
 */
@Component
public class CanvasTasks {

	/** What the errbacks were called with, in order. */
	public static final List<String> ERRORS = new CopyOnWriteArrayList<>();

	@Task("canvas.java.add")
	public long add(long x, long y) {
		return x + y;
	}

	@Task("canvas.java.mul")
	public long mul(long x, long y) {
		return x * y;
	}

	@Task("canvas.java.square")
	public long square(long x) {
		return x * x;
	}

	@Task("canvas.java.tsum")
	public long tsum(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).sum();
	}

	@Task("canvas.java.fail")
	public long fail(String message) {
		throw new IllegalStateException(message);
	}

	/**
	 * An old-style errback: sent as a task with the failed task's id.
	 * @param taskId the failed task
	 */
	@Task("canvas.java.on_error_old")
	public void onErrorOld(String taskId) {
		ERRORS.add("java-old:" + taskId);
	}

	/**
	 * A new-style errback: called in the failing Java worker.
	 * @param request the failed task's request
	 * @param failure why it failed
	 * @param traceback its stack trace
	 */
	@Task("canvas.java.on_error")
	public void onError(Map<String, Object> request, TaskFailure failure, String traceback) {
		ERRORS.add("java-new:" + request.get("id") + ":" + failure.type());
	}

}
