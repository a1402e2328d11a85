package dev.taskqueue.control;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A task a worker holds, as {@code inspect active}, {@code reserved}, {@code scheduled} and {@code query_task}
 * describe it: Celery's {@code TASK_INFO} ({@code Request.info()} in {@code celery/worker/request.py}).
 *
 * @param id the task's id ({@code id})
 * @param name the task's name ({@code name})
 * @param args its positional arguments as the worker wrote them ({@code args}: a list, or a repr string from
 * older Celery versions)
 * @param kwargs its keyword arguments as the worker wrote them ({@code kwargs})
 * @param hostname the worker's name ({@code hostname}), or {@code null}
 * @param timeStart when it started to run ({@code time_start}), or {@code null} if it has not
 * @param acknowledged whether its message is acknowledged ({@code acknowledged})
 * @param exchange the exchange it was published to ({@code delivery_info.exchange}), or {@code null}
 * @param routingKey its routing key, the queue on Redis ({@code delivery_info.routing_key}), or {@code null}
 * @param priority its message priority ({@code delivery_info.priority}), or {@code null}
 * @param redelivered whether its message was delivered before ({@code delivery_info.redelivered}), or {@code null}
 * @param workerPid the process that runs it ({@code worker_pid}), or {@code null}
 */
public record TaskInfo(String id, String name, JsonNode args, JsonNode kwargs, @Nullable String hostname,
		@Nullable Instant timeStart, boolean acknowledged, @Nullable String exchange, @Nullable String routingKey,
		@Nullable Integer priority, @Nullable Boolean redelivered, @Nullable Long workerPid) {

	static TaskInfo read(JsonNode info) {
		JsonNode delivery = info.path("delivery_info");
		Long priority = ReplyFields.integer(delivery, "priority");
		return new TaskInfo(ReplyFields.required(info, "id"), ReplyFields.required(info, "name"), info.path("args"),
				info.path("kwargs"), ReplyFields.string(info, "hostname"), ReplyFields.epochSeconds(info, "time_start"),
				Boolean.TRUE.equals(ReplyFields.bool(info, "acknowledged")), ReplyFields.string(delivery, "exchange"),
				ReplyFields.string(delivery, "routing_key"), (priority != null) ? priority.intValue() : null,
				ReplyFields.bool(delivery, "redelivered"), ReplyFields.integer(info, "worker_pid"));
	}

}
