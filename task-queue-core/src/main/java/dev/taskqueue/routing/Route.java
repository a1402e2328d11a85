package dev.taskqueue.routing;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Where and how a task is sent. Every field may be {@code null} for "not decided here".
 *
 * @param queue the queue
 * @param exchange the exchange to publish to (RabbitMQ), or {@code null} for the default exchange
 * @param routingKey the routing key with {@code exchange}, or {@code null} for the queue's name
 * @param priority the message priority
 * @param expires how long after sending the task expires
 * @param serializer the serializer of the message
 * @param compression the compression of the message
 */
public record Route(@Nullable String queue, @Nullable String exchange, @Nullable String routingKey,
		@Nullable Integer priority, @Nullable Duration expires, @Nullable String serializer,
		@Nullable String compression) {

	/**
	 * A route to a queue and nothing else.
	 * @param queue the queue
	 * @return the route
	 */
	public static Route toQueue(String queue) {
		return new Route(queue, null, null, null, null, null, null);
	}

}
