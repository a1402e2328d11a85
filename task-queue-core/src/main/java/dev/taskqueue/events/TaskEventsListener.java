package dev.taskqueue.events;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.PythonRepr;

/**
 * Turns a task's life into Celery's task events, with the fields Celery's worker sends
 * ({@code celery/worker/request.py}, {@code strategy.py}): {@code task-received}, {@code task-started},
 * {@code task-succeeded} ({@code result} as a repr, {@code runtime} in seconds), {@code task-failed} and
 * {@code task-retried} ({@code exception} as a repr, {@code traceback}), {@code task-revoked}
 * ({@code terminated}, {@code signum}, {@code expired}), {@code task-rejected}; and on the sending side
 * {@code task-sent}, when a client dispatcher is given (Celery's {@code task_send_sent_event}).
 * <p>
 * As in Celery, a task that is revoked or expired when it arrives, or that this worker does not know, gets no
 * {@code task-received}: only its {@code task-revoked}, or a {@code task-failed} with
 * {@code NotRegistered('<name>')}. So {@code task-received} is sent when the next moment shows the task runs, with
 * the time it was received.
 * <p>
 * A Java exception is shown as Celery shows a Python one: {@code IllegalArgumentException('bad input')}, with
 * Java's stack trace as the traceback.
 */
public class TaskEventsListener implements TaskListener {

	/** Celery's {@code resultrepr_maxsize}. */
	static final int RESULT_REPR_MAX = 1024;

	/** What {@code revoke(terminate=True)} sends by default: SIGTERM. */
	private static final int SIGTERM = 15;

	private static final String RECEIVED = TaskEventsListener.class.getName() + ".received";

	private final @Nullable EventDispatcher worker;

	private final @Nullable EventDispatcher client;

	/**
	 * Create the listener.
	 * @param worker the worker's dispatcher (it knows whether task events are on), or {@code null} for an
	 * application that runs no worker
	 * @param client the dispatcher of {@code task-sent} events, or {@code null} to send none
	 */
	public TaskEventsListener(@Nullable EventDispatcher worker, @Nullable EventDispatcher client) {
		this.worker = worker;
		this.client = client;
	}

	@Override
	public void afterPublish(TaskEvent task, @Nullable Throwable error) {
		if (this.client == null || error != null) {
			return;
		}
		Map<String, Object> headers = task.headers();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.taskId());
		fields.put("root_id", headers.get(ProtocolHeaders.ROOT_ID));
		fields.put("parent_id", headers.get(ProtocolHeaders.PARENT_ID));
		fields.put("name", task.taskName());
		fields.put("args", headers.get(ProtocolHeaders.ARGSREPR));
		fields.put("kwargs", headers.get(ProtocolHeaders.KWARGSREPR));
		fields.put("retries", task.retries());
		fields.put("eta", headers.get(ProtocolHeaders.ETA));
		fields.put("expires", headers.get(ProtocolHeaders.EXPIRES));
		fields.put("queue", task.queue());
		// a queue's own exchange is published to as the default one, routed by the queue's name, as Celery does
		fields.put("exchange", "");
		fields.put("routing_key", task.queue());
		this.client.send("task-sent", fields);
	}

	@Override
	public void received(TaskEvent task) {
		EventDispatcher events = taskEvents();
		if (events == null) {
			return;
		}
		Map<String, Object> headers = task.headers();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.taskId());
		fields.put("name", task.taskName());
		fields.put("args", headers.get(ProtocolHeaders.ARGSREPR));
		fields.put("kwargs", headers.get(ProtocolHeaders.KWARGSREPR));
		fields.put("root_id", headers.get(ProtocolHeaders.ROOT_ID));
		fields.put("parent_id", headers.get(ProtocolHeaders.PARENT_ID));
		fields.put("retries", task.retries());
		fields.put("eta", headers.get(ProtocolHeaders.ETA));
		fields.put("expires", headers.get(ProtocolHeaders.EXPIRES));
		fields.put("timestamp", events.timestampNow());
		task.attributes().put(RECEIVED, fields);
	}

	@Override
	public void prerun(TaskEvent task) {
		EventDispatcher events = taskEvents();
		if (events != null) {
			sendReceived(events, task);
			events.send("task-started", uuid(task));
		}
	}

	@Override
	public void succeeded(TaskEvent task, @Nullable Object result) {
		EventDispatcher events = taskEvents();
		if (events != null) {
			Map<String, @Nullable Object> fields = uuid(task);
			fields.put("result", resultRepr(result));
			fields.put("runtime", task.runtime().toNanos() / 1e9);
			events.send("task-succeeded", fields);
		}
	}

	@Override
	public void failed(TaskEvent task, Throwable error) {
		EventDispatcher events = taskEvents();
		if (events != null) {
			events.send("task-failed", exception(task, error));
		}
	}

	@Override
	public void retried(TaskEvent task, Throwable reason, Duration countdown) {
		EventDispatcher events = taskEvents();
		if (events != null) {
			events.send("task-retried", exception(task, reason));
		}
	}

	@Override
	public void revoked(TaskEvent task, String reason) {
		// revoked or expired on arrival: Celery sends no task-received, only this
		task.attributes().remove(RECEIVED);
		EventDispatcher events = taskEvents();
		if (events != null) {
			boolean terminated = "terminated".equals(reason);
			Map<String, @Nullable Object> fields = uuid(task);
			fields.put("terminated", terminated);
			fields.put("signum", terminated ? SIGTERM : null);
			fields.put("expired", "expired".equals(reason));
			events.send("task-revoked", fields);
		}
	}

	@Override
	public void rejected(TaskEvent task, String reason) {
		EventDispatcher events = taskEvents();
		if (events != null) {
			Map<String, @Nullable Object> fields = uuid(task);
			// a dead letter: not put back in the queue
			fields.put("requeue", false);
			events.send("task-rejected", fields);
		}
	}

	@Override
	public void unknownTask(TaskEvent task) {
		// as Celery: no task-received, a task-failed without traceback
		task.attributes().remove(RECEIVED);
		EventDispatcher events = taskEvents();
		if (events != null) {
			Map<String, @Nullable Object> fields = uuid(task);
			fields.put("exception", "NotRegistered(" + PythonRepr.of(task.taskName()) + ")");
			events.send("task-failed", fields);
		}
	}

	private @Nullable EventDispatcher taskEvents() {
		EventDispatcher events = this.worker;
		return (events != null && events.isTaskEventsEnabled()) ? events : null;
	}

	@SuppressWarnings("unchecked")
	private static void sendReceived(EventDispatcher events, TaskEvent task) {
		Object received = task.attributes().remove(RECEIVED);
		if (received instanceof Map<?, ?> fields) {
			events.send("task-received", (Map<String, @Nullable Object>) fields);
		}
	}

	private static Map<String, @Nullable Object> uuid(TaskEvent task) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.taskId());
		return fields;
	}

	private static Map<String, @Nullable Object> exception(TaskEvent task, Throwable error) {
		Map<String, @Nullable Object> fields = uuid(task);
		fields.put("exception", exceptionRepr(error));
		fields.put("traceback", traceback(error));
		return fields;
	}

	/**
	 * A Java exception as Python's repr shows an exception: its type's simple name (as {@code exc_type} of the
	 * stored result) and its message as the argument.
	 */
	static String exceptionRepr(Throwable error) {
		Class<?> type = error.getClass();
		String module = type.getPackageName();
		String name = type.getName().substring(module.isEmpty() ? 0 : module.length() + 1);
		String message = error.getMessage();
		return name + "(" + ((message != null) ? PythonRepr.of(message) : "") + ")";
	}

	private static String traceback(Throwable error) {
		StringWriter out = new StringWriter();
		error.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

	/** Celery's {@code saferepr(result, resultrepr_maxsize)}. */
	static String resultRepr(@Nullable Object result) {
		String repr = PythonRepr.of(result);
		return (repr.length() > RESULT_REPR_MAX) ? repr.substring(0, RESULT_REPR_MAX - 3) + "..." : repr;
	}

}
