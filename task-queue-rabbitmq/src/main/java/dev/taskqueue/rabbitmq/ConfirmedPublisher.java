package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;

/**
 * Publishes with publisher confirms and, when asked, mandatory routing: a publish completes only once the
 * broker has confirmed the message, and fails when the broker nacked it, could not route it, or did not
 * answer within the confirm timeout.
 * <p>
 * Confirms are correlated, not awaited one at a time: each channel of its small pool (in confirm mode, so
 * the application's {@code spring.rabbitmq.publisher-*} settings do not matter) carries many messages in
 * flight, and each message's future completes when the broker's (possibly multiple) ack or nack covers its
 * sequence number. Senders on many threads, or one sender using {@link #publishAsync}, thus keep the
 * connection busy instead of waiting a round trip per message. At most {@value #MAX_IN_FLIGHT} messages are
 * unconfirmed at once; a publish beyond that waits for room. A channel whose connection was lost fails the
 * messages it had in flight and is replaced; Spring's connection factory opens a new connection on the next
 * publish.
 */
final class ConfirmedPublisher implements AutoCloseable {

	/** The most messages unconfirmed at once, over all channels of a publisher. */
	static final int MAX_IN_FLIGHT = 4096;

	private static final int CHANNELS = 2;

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	private final Slot[] slots = new Slot[CHANNELS];

	private final AtomicInteger next = new AtomicInteger();

	private final Semaphore room = new Semaphore(MAX_IN_FLIGHT);

	private final ScheduledExecutorService sweeper;

	private volatile boolean closed;

	/**
	 * Create a publisher.
	 * @param connectionFactory where channels come from
	 * @param confirmTimeout how long to wait for a confirm
	 */
	ConfirmedPublisher(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.confirmTimeout = confirmTimeout;
		for (int i = 0; i < CHANNELS; i++) {
			this.slots[i] = new Slot();
		}
		this.sweeper = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-rabbitmq-confirm-timeouts");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.min(1000, Math.max(10, confirmTimeout.toMillis() / 4));
		this.sweeper.scheduleAtFixedRate(LoopStep.guarded("Expiring unconfirmed RabbitMQ publishes", this::expire),
				period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * Create a publisher on the factory's separate publisher connection when it has one (Spring's
	 * {@code CachingConnectionFactory} can), so that a publisher RabbitMQ blocks cannot stall the consumers'
	 * acknowledgements, and on the factory itself otherwise.
	 * @param connectionFactory the application's connection
	 * @param confirmTimeout how long to wait for a confirm
	 * @return the publisher
	 */
	static ConfirmedPublisher onPublisherConnection(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		ConnectionFactory publishing = connectionFactory.getPublisherConnectionFactory();
		return new ConfirmedPublisher((publishing != null) ? publishing : connectionFactory, confirmTimeout);
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
	void publish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties, byte[] body) {
		CompletableFuture<Void> confirmed = publishAsync(exchange, routingKey, mandatory, properties, body);
		try {
			confirmed.get(this.confirmTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof BrokerException broker) ? broker
					: new BrokerException("Could not publish to '" + routingKey + "': " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw timedOut(routingKey, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while waiting for RabbitMQ to confirm a message", ex);
		}
	}

	/**
	 * Publish a message without waiting for the broker's confirm. Waits only when {@value #MAX_IN_FLIGHT}
	 * messages are already unconfirmed.
	 * @param exchange the exchange ({@code ""} for the default exchange)
	 * @param routingKey the routing key
	 * @param mandatory whether a message no queue takes is an error
	 * @param properties the properties
	 * @param body the body
	 * @return completed when the broker confirmed the message; failed with a {@link BrokerException} when it
	 * nacked it, could not route it, did not confirm it in time or the connection was lost first
	 * @throws BrokerException if the message could not even be sent
	 */
	CompletableFuture<Void> publishAsync(String exchange, String routingKey, boolean mandatory,
			AMQP.BasicProperties properties, byte[] body) {
		if (this.closed) {
			throw new BrokerException("Could not publish to '" + routingKey + "': the publisher is closed");
		}
		try {
			this.room.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while waiting to publish to RabbitMQ", ex);
		}
		Pending pending = new Pending(exchange, routingKey, properties.getCorrelationId(), body,
				System.nanoTime() + this.confirmTimeout.toNanos());
		pending.confirmed.whenComplete((ignored, error) -> this.room.release());
		Slot slot = this.slots[Math.floorMod(this.next.getAndIncrement(), CHANNELS)];
		try {
			try {
				slot.send(pending, mandatory, properties);
			}
			catch (StaleChannelException ex) {
				// the channel died with its connection before anything was sent: once more on a fresh one
				try {
					slot.send(pending, mandatory, properties);
				}
				catch (StaleChannelException again) {
					throw new BrokerException("Could not publish to '" + routingKey + "': the connection is closed",
							again.getCause());
				}
			}
		}
		catch (RuntimeException ex) {
			pending.confirmed.completeExceptionally(ex);
			throw ex;
		}
		return pending.confirmed;
	}

	private BrokerException timedOut(String routingKey, @Nullable Throwable cause) {
		return new BrokerException(
				"RabbitMQ did not confirm a message for '" + routingKey + "' within " + this.confirmTimeout, cause);
	}

	private void expire() {
		long now = System.nanoTime();
		for (Slot slot : this.slots) {
			PublishingChannel channel = slot.current;
			if (channel == null) {
				continue;
			}
			for (Iterator<Pending> pending = channel.pending.values().iterator(); pending.hasNext();) {
				Pending next = pending.next();
				if (now - next.deadline < 0) {
					// sequence numbers grow with time: the rest are younger
					break;
				}
				pending.remove();
				next.confirmed.completeExceptionally(timedOut(next.routingKey, null));
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.sweeper.shutdownNow();
		for (Slot slot : this.slots) {
			slot.close();
		}
	}

	private final class Slot {

		private volatile @Nullable PublishingChannel current;

		void send(Pending pending, boolean mandatory, AMQP.BasicProperties properties) {
			synchronized (this) {
				PublishingChannel channel = open();
				// the sequence number and the publish under one lock: confirms refer to the order of publishes
				long sequence = channel.target.getNextPublishSeqNo();
				channel.pending.put(sequence, pending);
				try {
					channel.target.basicPublish(pending.exchange, pending.routingKey, mandatory, properties,
							pending.body);
				}
				catch (AlreadyClosedException ex) {
					channel.pending.remove(sequence);
					this.current = null;
					channel.close();
					throw new StaleChannelException(ex);
				}
				catch (IOException | ShutdownSignalException ex) {
					channel.pending.remove(sequence);
					throw new BrokerException("Could not publish to '" + pending.routingKey + "' on exchange '"
							+ pending.exchange + "': " + ex.getMessage(), ex);
				}
			}
		}

		private PublishingChannel open() {
			PublishingChannel channel = this.current;
			if (channel != null && channel.target.isOpen()) {
				return channel;
			}
			if (channel != null) {
				channel.close();
			}
			try {
				Channel proxy = ConfirmedPublisher.this.connectionFactory.createConnection().createChannel(false);
				Channel target = (proxy instanceof ChannelProxy channelProxy) ? channelProxy.getTargetChannel()
						: proxy;
				PublishingChannel created = new PublishingChannel(proxy, target);
				target.confirmSelect();
				target.addConfirmListener(created);
				target.addReturnListener((replyCode, replyText, exchange, routingKey, props, body) -> created
					.returned(exchange, routingKey, props.getCorrelationId(), body, replyCode + " " + replyText));
				target.addShutdownListener(created::lost);
				this.current = created;
				return created;
			}
			catch (AmqpException | IOException ex) {
				throw new BrokerException("Could not open a channel to RabbitMQ: " + ex.getMessage(), ex);
			}
		}

		synchronized void close() {
			PublishingChannel channel = this.current;
			this.current = null;
			if (channel != null) {
				channel.close();
			}
		}

	}

	private static final class PublishingChannel implements ConfirmListener {

		private final Channel proxy;

		private final Channel target;

		private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

		PublishingChannel(Channel proxy, Channel target) {
			this.proxy = proxy;
			this.target = target;
		}

		@Override
		public void handleAck(long sequence, boolean multiple) {
			settle(sequence, multiple, false);
		}

		@Override
		public void handleNack(long sequence, boolean multiple) {
			settle(sequence, multiple, true);
		}

		private void settle(long sequence, boolean multiple, boolean nacked) {
			if (!multiple) {
				Pending one = this.pending.remove(sequence);
				if (one != null) {
					one.settle(nacked);
				}
				return;
			}
			for (Iterator<Map.Entry<Long, Pending>> covered = this.pending.headMap(sequence, true)
				.entrySet()
				.iterator(); covered.hasNext();) {
				Pending one = covered.next().getValue();
				covered.remove();
				one.settle(nacked);
			}
		}

		void returned(String exchange, String routingKey, @Nullable String correlationId, byte[] body, String reason) {
			// a basic.return comes before the ack of the same message, on the same connection thread; returns
			// come in publish order, so the oldest unmarked message that matches is the one
			for (Pending candidate : this.pending.values()) {
				if (candidate.returned == null && candidate.matches(exchange, routingKey, correlationId, body)) {
					candidate.returned = reason;
					return;
				}
			}
		}

		void lost(ShutdownSignalException cause) {
			for (Iterator<Pending> unconfirmed = this.pending.values().iterator(); unconfirmed.hasNext();) {
				Pending one = unconfirmed.next();
				unconfirmed.remove();
				one.confirmed.completeExceptionally(new BrokerException("The channel to RabbitMQ closed before it "
						+ "confirmed a message for '" + one.routingKey + "': " + cause.getMessage(), cause));
			}
		}

		void close() {
			// physically: a channel in confirm mode must not go back to Spring's channel cache
			RabbitUtils.setPhysicalCloseRequired(this.proxy, true);
			RabbitUtils.closeChannel(this.proxy);
		}

	}

	private static final class Pending {

		private final String exchange;

		private final String routingKey;

		private final @Nullable String correlationId;

		private final byte[] body;

		private final long deadline;

		private final CompletableFuture<Void> confirmed = new CompletableFuture<>();

		private volatile @Nullable String returned;

		Pending(String exchange, String routingKey, @Nullable String correlationId, byte[] body, long deadline) {
			this.exchange = exchange;
			this.routingKey = routingKey;
			this.correlationId = correlationId;
			this.body = body;
			this.deadline = deadline;
		}

		boolean matches(String exchange, String routingKey, @Nullable String correlationId, byte[] body) {
			return this.exchange.equals(exchange) && this.routingKey.equals(routingKey)
					&& Objects.equals(this.correlationId, correlationId) && Arrays.equals(this.body, body);
		}

		void settle(boolean nacked) {
			if (nacked) {
				this.confirmed.completeExceptionally(new BrokerException("RabbitMQ refused (nacked) a message for '"
						+ this.routingKey + "' on exchange '" + this.exchange + "'"));
			}
			else if (this.returned != null) {
				this.confirmed.completeExceptionally(new BrokerException("RabbitMQ could not route a message for '"
						+ this.routingKey + "' on exchange '" + this.exchange + "' (" + this.returned
						+ "): does the queue exist?"));
			}
			else {
				this.confirmed.complete(null);
			}
		}

	}

	private static final class StaleChannelException extends RuntimeException {

		StaleChannelException(Throwable cause) {
			super(cause);
		}

	}

}
