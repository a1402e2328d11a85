package dev.taskqueue.control;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A queue a worker consumes, as {@code inspect active_queues} describes it (Celery's {@code QUEUE_INFO}, kombu's
 * {@code Queue.as_dict(recurse=True)}).
 *
 * @param name the queue's name ({@code name})
 * @param exchange its exchange's name ({@code exchange.name}), or {@code null}
 * @param exchangeType its exchange's type ({@code exchange.type}), or {@code null}
 * @param routingKey its routing key ({@code routing_key}), or {@code null}
 * @param durable whether it is durable ({@code durable})
 * @param exclusive whether it is exclusive ({@code exclusive})
 * @param autoDelete whether it is deleted when unused ({@code auto_delete})
 * @param maxPriority its highest priority ({@code max_priority}), or {@code null}
 */
public record QueueInfo(String name, @Nullable String exchange, @Nullable String exchangeType,
		@Nullable String routingKey, boolean durable, boolean exclusive, boolean autoDelete,
		@Nullable Integer maxPriority) {

	static QueueInfo read(JsonNode queue) {
		JsonNode exchange = queue.path("exchange");
		Long maxPriority = ReplyFields.integer(queue, "max_priority");
		return new QueueInfo(ReplyFields.required(queue, "name"),
				exchange.isString() ? exchange.asString() : ReplyFields.string(exchange, "name"),
				ReplyFields.string(exchange, "type"), ReplyFields.string(queue, "routing_key"),
				Boolean.TRUE.equals(ReplyFields.bool(queue, "durable")),
				Boolean.TRUE.equals(ReplyFields.bool(queue, "exclusive")),
				Boolean.TRUE.equals(ReplyFields.bool(queue, "auto_delete")),
				(maxPriority != null) ? maxPriority.intValue() : null);
	}

}
