package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How a broker carries Celery's remote-control messages ({@code celery.pidbox}): the bytes of a command or
 * reply and its headers, in the broker's own framing (kombu's envelope on Redis, AMQP properties on
 * RabbitMQ). What the commands mean is {@link CeleryPidbox}'s business (a worker's side) and
 * {@link TaskControl}'s (a client's side, which receives the replies through {@link #replies}).
 * <p>
 * Every implementation keeps {@code PidboxTransportContract} (in core's test-jar).
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
	 * Declare a client's reply queue and receive the replies sent to it, as kombu's {@code Mailbox} does for
	 * {@code app.control}: the queue {@code <oid>.reply.celery.pidbox}, bound to the direct exchange
	 * {@code reply.celery.pidbox} with the routing key {@code oid}, which a command names in its {@code reply_to}.
	 * When this returns the queue is declared, so that a reply sent from then on reaches the handler; closing the
	 * subscription deletes the queue (kombu's {@code auto_delete}), and a reply sent later is dropped. One
	 * subscription per {@code oid} at a time.
	 * <p>
	 * The default throws: a transport that only carries commands to a worker need not implement it.
	 * @param oid the client's id (kombu's {@code Mailbox.oid})
	 * @param handler called with each reply's JSON and headers, on the transport's thread
	 * @return the subscription, to close once the replies are collected
	 * @throws dev.taskqueue.broker.BrokerException if the queue could not be declared
	 */
	default Subscription replies(String oid, Handler handler) {
		throw new UnsupportedOperationException(getClass().getName() + " does not receive remote-control replies");
	}

	/**
	 * Stop receiving and release connections.
	 */
	void close();

	/**
	 * A client's reply queue, consumed until closed.
	 */
	interface Subscription extends AutoCloseable {

		/**
		 * Stop receiving and delete the reply queue. Never throws: a broker that cannot be reached keeps the queue
		 * until it expires ({@code x-expires}, 10 s on RabbitMQ).
		 */
		@Override
		void close();

	}

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
