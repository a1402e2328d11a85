package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How a broker carries Celery's remote-control messages ({@code celery.pidbox}): the bytes of a command or
 * reply and its headers, in the broker's own framing (kombu's envelope on Redis, AMQP properties on
 * RabbitMQ). What the commands mean is {@link CeleryPidbox}'s business.
 */
public interface PidboxTransport {

	/**
	 * Broadcast a command to every worker listening on {@code celery.pidbox}.
	 * @param command the command's JSON
	 * @param headers the message headers
	 */
	void broadcast(byte[] command, Map<String, Object> headers);

	/**
	 * Send a reply to the client that asked for it.
	 * @param exchange the exchange named by the command's {@code reply_to}
	 * @param routingKey the routing key named by the command's {@code reply_to}
	 * @param reply the reply's JSON
	 * @param headers the message headers
	 */
	void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers);

	/**
	 * Start receiving the commands broadcast on {@code celery.pidbox}.
	 * @param hostname the listening worker's name (Celery names a worker's pidbox queue after it)
	 * @param handler called with each command's JSON and headers, on the transport's thread
	 */
	void listen(String hostname, Handler handler);

	/**
	 * Stop receiving and release connections.
	 */
	void close();

	/**
	 * Receives remote-control commands.
	 */
	@FunctionalInterface
	interface Handler {

		/**
		 * A command arrived.
		 * @param command the command's JSON
		 * @param headers the message headers, or {@code null} if the transport has none
		 */
		void received(byte[] command, @Nullable Map<String, Object> headers);

	}

}
