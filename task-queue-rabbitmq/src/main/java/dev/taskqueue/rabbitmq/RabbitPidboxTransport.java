package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.control.PidboxTransport;

/**
 * Celery's remote control over RabbitMQ, declared as Celery declares it: commands are published to the fanout
 * exchange {@code celery.pidbox} (not durable), each listening worker consumes its own auto-delete queue bound
 * to it ({@code x-expires} 10 s, {@code x-message-ttl} 300 s, as Celery's), and replies go to the direct exchange
 * named by the command's {@code reply_to} ({@code reply.celery.pidbox}).
 */
public class RabbitPidboxTransport implements PidboxTransport {

	/** Celery's remote-control exchange. */
	public static final String EXCHANGE = "celery.pidbox";

	private static final Map<String, Object> QUEUE_ARGUMENTS = Map.of("x-expires", 10_000, "x-message-ttl", 300_000);

	private final ConnectionFactory connectionFactory;

	private @Nullable Connection connection;

	private @Nullable Channel publishing;

	private @Nullable Channel consuming;

	/** The exchanges declared on the publishing channel, so that each is declared once, not per message. */
	private final Set<String> declared = new HashSet<>();

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
