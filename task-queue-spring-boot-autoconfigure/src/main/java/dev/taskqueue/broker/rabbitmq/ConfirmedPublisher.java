package dev.taskqueue.broker.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;

/**
 * Publishes with publisher confirms and, when asked, mandatory routing: {@link #publish} returns only once
 * the broker has confirmed the message, and throws when the broker nacked it, could not route it, or did not
 * answer in time. It keeps its own pool of channels in confirm mode (one publish at a time on each), so the
 * application's {@code spring.rabbitmq.publisher-*} settings do not matter. A channel whose connection was
 * lost is dropped; Spring's connection factory opens a new connection on the next publish.
 */
public final class ConfirmedPublisher implements AutoCloseable {

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	private final Deque<PublishingChannel> idle = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	/**
	 * Create a publisher.
	 * @param connectionFactory where channels come from
	 * @param confirmTimeout how long to wait for a confirm
	 */
	public ConfirmedPublisher(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Publish a message and wait for the broker's confirm.
	 * @param exchange the exchange ({@code ""} for the default exchange)
	 * @param routingKey the routing key
	 * @param mandatory whether a message no queue takes is an error
	 * @param properties the properties
	 * @param body the body
	 * @throws BrokerException if the broker did not take the message
	 */
	public void publish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties, byte[] body) {
		try {
			attempt(exchange, routingKey, mandatory, properties, body);
		}
		catch (StaleChannelException ex) {
			// the pooled channel died with its connection before anything was sent: once more on a fresh one
			try {
				attempt(exchange, routingKey, mandatory, properties, body);
			}
			catch (StaleChannelException again) {
				throw new BrokerException("Could not publish to '" + routingKey + "': the connection is closed",
						again.getCause());
			}
		}
	}

	private void attempt(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties,
			byte[] body) {
		PublishingChannel channel = borrow();
		boolean healthy = false;
		try {
			channel.returned = null;
			try {
				channel.target.basicPublish(exchange, routingKey, mandatory, properties, body);
			}
			catch (AlreadyClosedException ex) {
				throw new StaleChannelException(ex);
			}
			boolean acked = channel.target.waitForConfirms(this.confirmTimeout.toMillis());
			healthy = true;
			if (!acked) {
				throw new BrokerException("RabbitMQ refused (nacked) a message for '" + routingKey + "' on exchange '"
						+ exchange + "'");
			}
			// a basic.return comes before the basic.ack of the same message, on the same connection thread
			String returned = channel.returned;
			if (returned != null) {
				throw new BrokerException("RabbitMQ could not route a message for '" + routingKey + "' on exchange '"
						+ exchange + "' (" + returned + "): does the queue exist?");
			}
		}
		catch (TimeoutException ex) {
			throw new BrokerException("RabbitMQ did not confirm a message for '" + routingKey + "' within "
					+ this.confirmTimeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while waiting for RabbitMQ to confirm a message", ex);
		}
		catch (IOException | ShutdownSignalException ex) {
			throw new BrokerException("Could not publish to '" + routingKey + "' on exchange '" + exchange + "': "
					+ ex.getMessage(), ex);
		}
		finally {
			if (healthy && !this.closed) {
				this.idle.push(channel);
			}
			else {
				channel.close();
			}
		}
	}

	private PublishingChannel borrow() {
		PublishingChannel channel;
		while ((channel = this.idle.poll()) != null) {
			if (channel.target.isOpen()) {
				return channel;
			}
			channel.close();
		}
		try {
			Channel proxy = this.connectionFactory.createConnection().createChannel(false);
			Channel target = (proxy instanceof ChannelProxy channelProxy) ? channelProxy.getTargetChannel() : proxy;
			PublishingChannel created = new PublishingChannel(proxy, target);
			target.confirmSelect();
			target.addReturnListener((replyCode, replyText, returnedExchange, returnedKey, props, returnedBody) -> created.returned = replyCode
					+ " " + replyText);
			return created;
		}
		catch (AmqpException | IOException ex) {
			throw new BrokerException("Could not open a channel to RabbitMQ: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		PublishingChannel channel;
		while ((channel = this.idle.poll()) != null) {
			channel.close();
		}
	}

	private static final class PublishingChannel {

		private final Channel proxy;

		private final Channel target;

		private volatile String returned;

		PublishingChannel(Channel proxy, Channel target) {
			this.proxy = proxy;
			this.target = target;
		}

		void close() {
			// physically: a channel in confirm mode must not go back to Spring's channel cache
			RabbitUtils.setPhysicalCloseRequired(this.proxy, true);
			RabbitUtils.closeChannel(this.proxy);
		}

	}

	private static final class StaleChannelException extends RuntimeException {

		StaleChannelException(Throwable cause) {
			super(cause);
		}

	}

}
