package dev.taskqueue.broker;

import org.jspecify.annotations.Nullable;

/**
 * Where a message is published: a queue, or an exchange and routing key on brokers that have exchanges.
 *
 * @param queue the queue; with no exchange the message goes straight to it
 * @param exchange the exchange, or {@code null} for the default exchange (routing key = queue)
 * @param routingKey the routing key with {@code exchange}, or {@code null} for the queue's name
 */
public record Destination(String queue, @Nullable String exchange, @Nullable String routingKey) {

	/**
	 * A queue reached through the default exchange.
	 * @param queue the queue
	 * @return the destination
	 */
	public static Destination queue(String queue) {
		return new Destination(queue, null, null);
	}

}
