package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.control.PidboxTransport;

/**
 * Celery's remote control over RabbitMQ, declared as Celery declares it: commands are published to the fanout
 * exchange {@code celery.pidbox} (not durable), each listening worker consumes its own auto-delete queue bound
 * to it ({@code x-expires} 10 s, {@code x-message-ttl} 300 s, as Celery's), and replies go to the direct exchange
 * named by the command's {@code reply_to} ({@code reply.celery.pidbox}). A client's reply queue is declared as
 * kombu declares it: {@code <oid>.reply.celery.pidbox}, not durable, auto-delete, with the same expiry and
 * time-to-live, bound to {@code reply.celery.pidbox} with the routing key {@code <oid>}, consumed without acks on a
 * channel of its own, and deleted by RabbitMQ when its consumer is cancelled.
 */
public class RabbitPidboxTransport implements PidboxTransport {

	private static final Logger logger = LoggerFactory.getLogger(RabbitPidboxTransport.class);

	/** Celery's remote-control exchange. */
	public static final String EXCHANGE = "celery.pidbox";

	/** Celery's exchange for the replies to remote-control commands. */
	public static final String REPLY_EXCHANGE = "reply.celery.pidbox";

	private static final Map<String, Object> QUEUE_ARGUMENTS = Map.of("x-expires", 10_000, "x-message-ttl", 300_000);

	private final ConnectionFactory connectionFactory;

	private @Nullable Connection connection;

	private @Nullable Channel publishing;

	private @Nullable Channel consuming;

	/** The exchanges declared on the publishing channel, so that each is declared once, not per message. */
	private final Set<String> declared = new HashSet<>();

	/** The clients whose reply queue is consumed now. */
	private final Set<String> replyQueues = ConcurrentHashMap.newKeySet();

	/**
	 * Create the transport; nothing is declared until first used.
	 * @param connectionFactory the RabbitMQ connections
	 */
	public RabbitPidboxTransport(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public synchronized void broadcast(byte[] command, Map<String, Object> headers) {
		publish(EXCHANGE, "fanout", "", command, headers, 2);
	}

	@Override
	public synchronized void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers) {
		publish(exchange, "direct", routingKey, reply, headers, 1);
	}

	private void publish(String exchange, String type, String routingKey, byte[] body, Map<String, Object> headers,
			int deliveryMode) {
		try {
			Channel channel = publishing();
			if (this.declared.add(exchange)) {
				// declared as Celery declares it, so that whichever side comes first the arguments agree
				channel.exchangeDeclare(exchange, type, false, false, null);
			}
			channel.basicPublish(exchange, routingKey, properties(headers, deliveryMode), body);
		}
		catch (IOException ex) {
			this.publishing = null;
			this.declared.clear();
			throw new BrokerException("Could not publish to RabbitMQ exchange '" + exchange + "'", ex);
		}
	}

	private static AMQP.BasicProperties properties(Map<String, Object> headers, int deliveryMode) {
		return new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.headers(headers)
			.deliveryMode(deliveryMode)
			.priority(0)
			.build();
	}

	@Override
	public synchronized void listen(String hostname, Handler handler) {
		// Celery names it "<hostname>.celery.pidbox"; the suffix keeps two applications with one name apart
		String queue = hostname + "." + UUID.randomUUID().toString().substring(0, 8) + ".celery.pidbox";
		try {
			Channel channel = connection().createChannel(false);
			channel.exchangeDeclare(EXCHANGE, "fanout", false, false, null);
			channel.queueDeclare(queue, false, false, true, QUEUE_ARGUMENTS);
			channel.queueBind(queue, EXCHANGE, "");
			channel.basicConsume(queue, true, new DefaultConsumer(channel) {
				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					LoopStep.run("The Celery remote-control listener on RabbitMQ",
							() -> handler.received(body, properties.getHeaders()));
				}
			});
			this.consuming = channel;
		}
		catch (IOException ex) {
			throw new BrokerException("Could not consume Celery's remote-control exchange '" + EXCHANGE + "'", ex);
		}
	}

	@Override
	public Subscription replies(String oid, Handler handler) {
		if (!this.replyQueues.add(oid)) {
			throw new IllegalStateException("The reply queue of '" + oid + "' is consumed already");
		}
		String queue = oid + ".reply.celery.pidbox";
		Channel channel = null;
		try {
			synchronized (this) {
				channel = connection().createChannel(false);
			}
			channel.exchangeDeclare(REPLY_EXCHANGE, "direct", false, false, null);
			channel.queueDeclare(queue, false, false, true, QUEUE_ARGUMENTS);
			channel.queueBind(queue, REPLY_EXCHANGE, oid);
			String tag = channel.basicConsume(queue, true, new DefaultConsumer(channel) {
				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					LoopStep.run("The remote-control reply queue on RabbitMQ",
							() -> handler.received(body, plain(properties.getHeaders())));
				}
			});
			Channel consuming = channel;
			return () -> {
				closeReplyQueue(consuming, tag, queue);
				this.replyQueues.remove(oid);
			};
		}
		catch (IOException | AmqpException ex) {
			if (channel != null) {
				closePhysically(channel);
			}
			this.replyQueues.remove(oid);
			throw new BrokerException("Could not declare the remote-control reply queue '" + queue + "'", ex);
		}
	}

	/**
	 * Headers with AMQP's long strings as Java strings, as the other transports give them.
	 */
	private static @Nullable Map<String, Object> plain(@Nullable Map<String, Object> headers) {
		if (headers == null) {
			return null;
		}
		Map<String, Object> plain = new LinkedHashMap<>();
		headers.forEach((name, value) -> plain.put(name, (value instanceof LongString text) ? text.toString() : value));
		return plain;
	}

	/**
	 * Cancel the consumer and delete the queue (RabbitMQ deletes an auto-delete queue after its last consumer, but
	 * not before the cancel returns: a reply could still be routed to it), and close its channel; a broker that
	 * cannot be reached lets the queue expire ({@code x-expires}).
	 */
	private static void closeReplyQueue(Channel channel, String tag, String queue) {
		try {
			if (channel.isOpen()) {
				channel.basicCancel(tag);
				channel.queueDelete(queue);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not cancel the consumer of '{}': {}", queue, ex.toString());
		}
		closePhysically(channel);
	}

	private static void closePhysically(Channel channel) {
		// a channel that consumed goes, not back to the connection factory's cache
		RabbitUtils.setPhysicalCloseRequired(channel, true);
		RabbitUtils.closeChannel(channel);
	}

	private Channel publishing() {
		if (this.publishing == null || !this.publishing.isOpen()) {
			this.publishing = connection().createChannel(false);
			// a new channel may be on a new connection, after the broker lost what was declared
			this.declared.clear();
		}
		return this.publishing;
	}

	private Connection connection() {
		if (this.connection == null || !this.connection.isOpen()) {
			this.connection = this.connectionFactory.createConnection();
		}
		return this.connection;
	}

	@Override
	public synchronized void close() {
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
			this.publishing = null;
			this.consuming = null;
		}
	}

}
