package dev.taskqueue.events;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How a broker carries Celery's events: messages on the {@code celeryev} exchange, routed by the event's type
 * with {@code -} changed to {@code .} ({@code worker.heartbeat}, and {@code task.multi} for a worker's batch
 * of task events). On RabbitMQ that is a durable topic exchange, each receiver with a queue of its own; on Redis,
 * kombu's fanout over pub/sub, channel {@code /<db>.celeryev/<routing key>}. What the events mean is the
 * business of this package's dispatcher and receiver; a transport carries bytes and headers.
 */
public interface EventTransport {

	/**
	 * Publish an event message ({@code delivery_mode} 1: events are not kept when nobody listens).
	 * @param routingKey the routing key ({@code worker.online}, {@code task.multi}...)
	 * @param body the message's JSON: one event object, or an array of them
	 * @param headers the message headers (Celery sends {@code {"hostname": <sender>}})
	 */
	void publish(String routingKey, byte[] body, Map<String, Object> headers);

	/**
	 * Receive the event messages whose routing key matches a binding key, as Celery's {@code EventReceiver}
	 * does: {@code #} for all, {@code worker.#} for the workers' own, {@code task.#} for the tasks'.
	 * @param bindingKey an AMQP topic binding key
	 * @param handler called with each message, on the transport's thread: one at a time, in the order the broker
	 * delivers them
	 * @return the subscription, to close when done
	 */
	Subscription subscribe(String bindingKey, Handler handler);

	/**
	 * Stop every subscription and release connections.
	 */
	void close();

	/**
	 * Receives event messages.
	 */
	@FunctionalInterface
	interface Handler {

		/**
		 * A message arrived.
		 * @param routingKey its routing key
		 * @param body its JSON: one event object, or an array of them
		 * @param headers its headers, or {@code null} if the transport has none
		 */
		void received(String routingKey, byte[] body, @Nullable Map<String, Object> headers);

	}

	/**
	 * A subscription to event messages.
	 */
	interface Subscription extends AutoCloseable {

		/**
		 * Stop receiving.
		 */
		@Override
		void close();

	}

}
