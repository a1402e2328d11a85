package dev.taskqueue.control.panel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.PythonRepr;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.worker.TaskRequest;

/**
 * A held message as Celery describes a request ({@code Request.info()}): the rows of {@code inspect active} and
 * {@code reserved}, and of {@code query_task}.
 */
final class RequestInfo {

	private RequestInfo() {
	}

	/**
	 * The request's description.
	 * @param request the request
	 * @param hostname the worker's name
	 * @param pid the worker's process id
	 * @param safe whether the arguments are given as their Python repr ({@code inspect active --safe})
	 * @return Celery's keys, in Celery's order
	 */
	static Map<String, @Nullable Object> of(TaskRequest request, String hostname, long pid, boolean safe) {
		TaskMessage message = request.message();
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("id", request.id());
		info.put("name", request.name());
		info.put("args", (message == null) ? null : safe ? argsrepr(message) : message.args());
		info.put("kwargs", (message == null) ? null : safe ? kwargsrepr(message) : message.kwargs());
		info.put("type", request.name());
		info.put("hostname", hostname);
		info.put("time_start", (request.startedAt() != null) ? request.startedAt().toEpochMilli() / 1000.0 : null);
		info.put("acknowledged", request.acknowledged());
		Map<String, @Nullable Object> delivery = new LinkedHashMap<>();
		delivery.put("exchange", "");
		delivery.put("routing_key", request.queue());
		delivery.put("priority", request.priority());
		delivery.put("redelivered", request.redelivered());
		info.put("delivery_info", delivery);
		info.put("worker_pid", request.isActive() ? pid : null);
		return info;
	}

	private static String argsrepr(TaskMessage message) {
		return (message.argsrepr() != null) ? message.argsrepr() : PythonRepr.ofArgs(message.args());
	}

	private static String kwargsrepr(TaskMessage message) {
		return (message.kwargsrepr() != null) ? message.kwargsrepr() : PythonRepr.ofKwargs(message.kwargs());
	}

}
