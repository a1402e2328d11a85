package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.events.EventTransport;

/**
 * Celery's events over RabbitMQ, declared as Celery declares them: the durable topic exchange {@code celeryev};
 * messages with {@code delivery_mode} 1 and the header {@code hostname}, routed by the event's type; each receiver
 * with a queue of its own, {@code celeryev.<uuid4>}, not durable, auto-delete, {@code x-message-ttl} 5 s and
 * {@code x-expires} 60 s (Celery's {@code event_queue_ttl} and {@code event_queue_expires}), bound with its binding
 * key and consumed without acknowledgements.
 * <p>
 * A receiver's consumer recovers on its own when RabbitMQ goes away and comes back (its queue, deleted with the
 * connection, is declared again); a publish while RabbitMQ is away fails at once, and the dispatcher drops the
 * event.
 */
public class RabbitEventTransport implements EventTransport {

	/** Celery's event exchange. */
	public static final String EXCHANGE = "celeryev";

	/** Celery's {@code event_queue_prefix}. */
	public static final String QUEUE_PREFIX = "celeryev.";

	/** Celery's {@code event_queue_ttl} (5 s) and {@code event_queue_expires} (60 s), as it declares them. */
	private static final Map<String, Object> QUEUE_ARGUMENTS = Map.of("x-message-ttl", 5_000, "x-expires", 60_000);

	private final ConnectionFactory connectionFactory;

	private final Duration recoveryInterval;

	private final Map<RabbitConsumer, Boolean> consumers = new ConcurrentHashMap<>();

	/** The channel events are published on, a proxy from Spring's connection factory; written under the lock. */
	private @Nullable Channel publishing;

	/**
	 * Create the transport; nothing is declared until first used.
	 * @param connectionFactory the RabbitMQ connections
	 * @param recoveryInterval how long a receiver waits between attempts to consume again
	 */
	public RabbitEventTransport(ConnectionFactory connectionFactory, Duration recoveryInterval) {
		this.connectionFactory = connectionFactory;
		this.recoveryInterval = recoveryInterval;
	}

	@Override
	public synchronized void publish(String routingKey, byte[] body, Map<String, Object> headers) {
		try {
			publishing().basicPublish(EXCHANGE, routingKey, properties(headers), body);
		}
		catch (IOException | AmqpException | ShutdownSignalException ex) {
			closePublishing();
			throw new BrokerException("Could not publish an event to RabbitMQ exchange '" + EXCHANGE + "'", ex);
		}
	}

	private Channel publishing() throws IOException {
		if (this.publishing == null || !this.publishing.isOpen()) {
			closePublishing();
			Channel proxy = this.connectionFactory.createConnection().createChannel(false);
			try {
				// declared on each new channel, which may be on a new connection after RabbitMQ lost everything
				declareExchange(proxy);
			}
			catch (IOException | RuntimeException ex) {
				closePhysically(proxy);
				throw ex;
			}
			this.publishing = proxy;
		}
		return this.publishing;
	}

	private static void declareExchange(Channel channel) throws IOException {
		channel.exchangeDeclare(EXCHANGE, "topic", true, false, null);
	}

	private static AMQP.BasicProperties properties(Map<String, Object> headers) {
		return new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.headers(AmqpEnvelopeConverter.toTable(headers))
			.deliveryMode(1)
			.priority(0)
			.build();
	}

	private void closePublishing() {
		if (this.publishing != null) {
			closePhysically(this.publishing);
		}
		this.publishing = null;
	}

	private static void closePhysically(Channel proxy) {
		RabbitUtils.setPhysicalCloseRequired(proxy, true);
		RabbitUtils.closeChannel(proxy);
	}

	@Override
	public Subscription subscribe(String bindingKey, Handler handler) {
		String queue = QUEUE_PREFIX + UUID.randomUUID();
		RabbitConsumer.Settings settings = RabbitConsumer.Settings.autoAck(queue, this.recoveryInterval,
				"taskqueue-celeryev-recovery");
		RabbitConsumer consumer = RabbitConsumer.start(this.connectionFactory, settings, (channel) -> {
			declareExchange(channel);
			channel.queueDeclare(queue, false, false, true, QUEUE_ARGUMENTS);
			channel.queueBind(queue, EXCHANGE, bindingKey);
		}, (source, channel, from, envelope, properties, body) -> LoopStep.run("The Celery event listener on RabbitMQ",
				() -> handler.received(envelope.getRoutingKey(), body, (properties.getHeaders() != null)
						? AmqpEnvelopeConverter.fromTable(properties.getHeaders()) : null)));
		this.consumers.put(consumer, Boolean.TRUE);
		return () -> {
			if (this.consumers.remove(consumer) != null) {
				consumer.close();
			}
		};
	}

	@Override
	public void close() {
		this.consumers.keySet().forEach((consumer) -> {
			this.consumers.remove(consumer);
			consumer.close();
		});
		synchronized (this) {
			closePublishing();
		}
	}

}
