package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.Subscription;

/**
 * A push consumer of one or more queues on one channel of its own, with a prefetch bound and its own
 * recovery: when the channel or its connection is closed from the broker side, it opens a new channel
 * (through Spring's connection factory, which reconnects) every recovery interval until it can consume again.
 * Messages delivered on the lost channel and not acknowledged are redelivered by RabbitMQ.
 * <p>
 * {@link #cancel()} stops the deliveries but keeps the channel open until every delivery handed out is
 * settled, so that a worker's late acknowledgements still reach the broker.
 */
final class RabbitConsumer implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(RabbitConsumer.class);

	private final ConnectionFactory connectionFactory;

	private final Settings settings;

	private final List<String> queues;

	private final Duration recoveryInterval;

	private final Setup setup;

	private final Callback callback;

	private final ScheduledExecutorService recovery;

	private final AtomicInteger unsettled = new AtomicInteger();

	private final Object lock = new Object();

	private @Nullable Channel proxy;

	/** The channel consuming now, set once every queue's consumer is registered on it; written under the lock. */
	private volatile @Nullable Channel channel;

	private final List<String> consumerTags = new ArrayList<>();

	private final Map<Channel, ChannelAcks> acks = new ConcurrentHashMap<>();

	private volatile boolean cancelled;

	private RabbitConsumer(ConnectionFactory connectionFactory, Settings settings, Setup setup, Callback callback) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.queues = settings.queues();
		this.recoveryInterval = settings.recoveryInterval();
		this.setup = setup;
		this.callback = callback;
		this.recovery = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, settings.threadName());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Start consuming. The first connection attempt happens now and its failure is thrown; later ones are
	 * retried in the background.
	 * @param connectionFactory where channels come from
	 * @param settings the queues and how to consume them
	 * @param setup run on each new channel before consuming (declarations)
	 * @param callback what to do with each delivery
	 * @return the consumer
	 * @throws BrokerException if the first attempt to consume failed
	 */
	static RabbitConsumer start(ConnectionFactory connectionFactory, Settings settings, Setup setup,
			Callback callback) {
		RabbitConsumer consumer = new RabbitConsumer(connectionFactory, settings, setup, callback);
		try {
			consumer.connect();
		}
		catch (IOException | AmqpException | ShutdownSignalException ex) {
			consumer.recovery.shutdownNow();
			throw new BrokerException("Could not consume " + settings.queues() + ": " + reason(ex), ex);
		}
		return consumer;
	}

	private static String reason(Throwable error) {
		// the AMQP client wraps the broker's answer (a channel or connection close) in an IOException
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal) {
				return signal.getMessage();
			}
		}
		return error.toString();
	}

	private void connect() throws IOException {
		synchronized (this.lock) {
			if (this.cancelled) {
				return;
			}
			Channel newProxy = this.connectionFactory.createConnection().createChannel(false);
			Channel target = (newProxy instanceof ChannelProxy channelProxy) ? channelProxy.getTargetChannel() : newProxy;
			try {
				// before consuming, so that no close goes unnoticed; it acts only if this channel becomes current
				target.addShutdownListener((cause) -> lost(target, cause));
				this.setup.prepare(target);
				if (!this.settings.autoAck()) {
					target.basicQos(this.settings.prefetch(), this.settings.globalQos());
				}
				List<String> tags = new ArrayList<>();
				for (String queue : this.queues) {
					tags.add(target.basicConsume(queue, this.settings.autoAck(), new QueueConsumer(target, queue)));
				}
				this.proxy = newProxy;
				this.channel = target;
				this.consumerTags.clear();
				this.consumerTags.addAll(tags);
			}
			catch (IOException | RuntimeException ex) {
				closePhysically(newProxy);
				throw ex;
			}
		}
	}

	private void lost(Channel lostChannel, ShutdownSignalException cause) {
		this.acks.remove(lostChannel);
		// closed by this application (the consumer cancelled, the context closing): nothing to recover
		if (this.cancelled || cause.isInitiatedByApplication()) {
			return;
		}
		// not on the connection's thread, which must stay free to read frames for a reconnection under way
		execute(() -> {
			synchronized (this.lock) {
				if (this.channel != lostChannel) {
					return;
				}
				this.channel = null;
			}
			logger.warn("Lost the channel consuming {} ({}); reconnecting every {}", this.queues, cause.getMessage(),
					this.recoveryInterval);
			scheduleRecovery();
		});
	}

	private void execute(Runnable task) {
		try {
			this.recovery.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// cancelled meanwhile
		}
	}

	private void scheduleRecovery() {
		if (this.cancelled) {
			return;
		}
		try {
			this.recovery.schedule(this::recover, this.recoveryInterval.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// cancelled meanwhile
		}
	}

	private void recover() {
		try {
			synchronized (this.lock) {
				if (this.channel != null && this.channel.isOpen()) {
					return;
				}
			}
			connect();
			logger.info("Consuming {} again", this.queues);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Reconnecting to consume {} failed: {}", this.queues, ex.toString());
			scheduleRecovery();
		}
		catch (Throwable ex) {
			// an Error too: recovery is a chain of one-shot tasks, and one that throws ends it for good
			LoopStep.failed("Reconnecting to consume " + this.queues, ex);
			scheduleRecovery();
		}
	}

	/**
	 * The acknowledgements of a channel this consumer consumes on: deliveries are acknowledged there, batched.
	 * @param channel the channel a delivery came on
	 * @return its acknowledgements
	 */
	ChannelAcks acks(Channel channel) {
		return this.acks.computeIfAbsent(channel, ChannelAcks::new);
	}

	/**
	 * Count a delivery handed out.
	 */
	void handedOut() {
		this.unsettled.incrementAndGet();
	}

	/**
	 * Count a delivery settled; the last one after a cancel closes the channel.
	 */
	void settled() {
		if (this.unsettled.decrementAndGet() == 0 && this.cancelled) {
			closeChannel();
		}
	}

	/**
	 * Whether the queue is consumed now: not cancelled, and its consumer registered on a channel that is open.
	 * False from the moment the channel is lost until the recovery consumes again on a new one.
	 * @param queue one of the queues subscribed to
	 * @return whether it is consumed; {@code false} for a queue not subscribed to
	 */
	@Override
	public boolean isConsuming(String queue) {
		if (this.cancelled || !this.queues.contains(queue)) {
			return false;
		}
		// not under the lock, which a reconnection holds while it waits for RabbitMQ: a health check must not
		Channel current = this.channel;
		return current != null && current.isOpen();
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		this.recovery.shutdownNow();
		synchronized (this.lock) {
			Channel current = this.channel;
			if (current != null && current.isOpen()) {
				for (String tag : this.consumerTags) {
					try {
						current.basicCancel(tag);
					}
					catch (IOException | RuntimeException ex) {
						logger.debug("Could not cancel consumer {}: {}", tag, ex.toString());
					}
				}
			}
		}
		if (this.unsettled.get() == 0) {
			closeChannel();
		}
	}

	/**
	 * Cancel and close the channel now, whatever is still unsettled (RabbitMQ requeues it).
	 */
	void close() {
		cancel();
		closeChannel();
	}

	private void closeChannel() {
		synchronized (this.lock) {
			if (this.proxy != null) {
				ChannelAcks owed = (this.channel != null) ? this.acks.remove(this.channel) : null;
				if (owed != null && this.channel.isOpen()) {
					try {
						owed.drain();
					}
					catch (IOException | RuntimeException ex) {
						logger.debug("Could not send the last acknowledgements: {}", ex.toString());
					}
				}
				closePhysically(this.proxy);
				this.proxy = null;
			}
		}
	}

	private static void closePhysically(Channel proxy) {
		RabbitUtils.setPhysicalCloseRequired(proxy, true);
		RabbitUtils.closeChannel(proxy);
	}

	private final class QueueConsumer extends DefaultConsumer {

		private final String queue;

		QueueConsumer(Channel channel, String queue) {
			super(channel);
			this.queue = queue;
		}

		@Override
		public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
				byte[] body) {
			try {
				RabbitConsumer.this.callback.onMessage(RabbitConsumer.this, getChannel(), this.queue, envelope,
						properties, body);
			}
			catch (RuntimeException | Error ex) {
				// said here, with the queue; thrown on, so that the client closes the channel, its unacknowledged
				// messages go back to their queues and this consumer recovers on a new channel
				LoopStep.failed("The consumer of RabbitMQ queue '" + this.queue + "'", ex);
				throw ex;
			}
		}

		@Override
		public void handleCancel(String consumerTag) {
			// the broker cancelled us (the queue was deleted, a node failed over): start over on a new channel
			logger.warn("RabbitMQ cancelled the consumer of '{}'; reconnecting", this.queue);
			execute(() -> {
				synchronized (RabbitConsumer.this.lock) {
					if (RabbitConsumer.this.channel != getChannel()) {
						return;
					}
					closePhysically(RabbitConsumer.this.proxy);
					RabbitConsumer.this.proxy = null;
					RabbitConsumer.this.channel = null;
				}
				scheduleRecovery();
			});
		}

	}

	/**
	 * What a consumer consumes and how; made by {@link #acknowledged} or {@link #autoAck}.
	 *
	 * @param queues the queues
	 * @param prefetch the most unacknowledged deliveries (ignored with auto-ack)
	 * @param globalQos whether the prefetch is shared by the queues (per channel) rather than per queue
	 * @param autoAck whether the broker forgets a message as soon as it is delivered
	 * @param recoveryInterval how long to wait between reconnection attempts
	 * @param threadName the recovery thread's name
	 */
	record Settings(List<String> queues, int prefetch, boolean globalQos, boolean autoAck, Duration recoveryInterval,
			String threadName) {

		Settings {
			if (prefetch < 1 && !autoAck) {
				throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
			}
			queues = List.copyOf(queues);
		}

		/**
		 * Consume with manual acknowledgements, at most {@code prefetch} unacknowledged at once.
		 * @param queues the queues
		 * @param prefetch the most unacknowledged deliveries, at least 1
		 * @param globalQos whether the prefetch is shared by the queues (per channel) rather than per queue
		 * @param recoveryInterval how long to wait between reconnection attempts
		 * @param threadName the recovery thread's name
		 * @return the settings
		 */
		static Settings acknowledged(List<String> queues, int prefetch, boolean globalQos, Duration recoveryInterval,
				String threadName) {
			return new Settings(queues, prefetch, globalQos, false, recoveryInterval, threadName);
		}

		/**
		 * Consume one queue without acknowledgements: the broker forgets a message as soon as it is delivered.
		 * @param queue the queue
		 * @param recoveryInterval how long to wait between reconnection attempts
		 * @param threadName the recovery thread's name
		 * @return the settings
		 */
		static Settings autoAck(String queue, Duration recoveryInterval, String threadName) {
			return new Settings(List.of(queue), 0, false, true, recoveryInterval, threadName);
		}

	}

	/**
	 * Prepares a new channel before consuming.
	 */
	@FunctionalInterface
	interface Setup {

		/**
		 * Prepare the channel.
		 * @param channel the channel
		 * @throws IOException if a declaration failed
		 */
		void prepare(Channel channel) throws IOException;

	}

	/**
	 * Receives the messages.
	 */
	@FunctionalInterface
	interface Callback {

		/**
		 * Handle a message, on the AMQP client's consumer thread.
		 * @param consumer the consumer it came through
		 * @param channel the channel it came on, where it must be acknowledged
		 * @param queue the queue it came from
		 * @param envelope the delivery tag and routing
		 * @param properties its properties
		 * @param body its body
		 */
		void onMessage(RabbitConsumer consumer, Channel channel, String queue, Envelope envelope,
				AMQP.BasicProperties properties, byte[] body);

	}

}
