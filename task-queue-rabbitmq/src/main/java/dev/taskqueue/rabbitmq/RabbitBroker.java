package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.DelegatingDeadLetterQueue;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.status.ComponentStatus;

/**
 * RabbitMQ as Celery uses it: tasks are published persistent to the default exchange with the queue as
 * routing key, protocol v2 headers as AMQP headers, and consumed with manual acknowledgements and a prefetch.
 * <p>
 * Publishing waits for the broker's confirm and is mandatory, so a message RabbitMQ refuses or cannot route
 * (no such queue) is a {@link BrokerException} for the sender, never a silent drop; unless told otherwise,
 * the first send to a queue that does not exist declares it first, as Celery does. Consumers reconnect on
 * their own after the connection is lost. A rejected message is copied, intact, to the dead-letter queue with
 * the reason in {@value #REASON_HEADER} and then acknowledged; a deferred one is parked in delay queues
 * (queues with a fixed time to live that dead-letter it back to its queue, no plugin needed) and then
 * acknowledged. The dead letters can be listed, redriven and purged as a {@link DeadLetterQueue}; each
 * operation walks the dead-letter queue from its head. RabbitMQ keeps the dead-letter queue within its
 * {@link DeadLetterRetention} (the queue's {@code x-max-length}, {@code x-overflow: drop-head} and
 * {@code x-message-ttl}, declared by {@link RabbitTopology}): the count is for all queues' dead letters together,
 * and a dead letter published while the queue is full is counted in the log as dropping the oldest.
 * <p>
 * A task still running shortly before the broker's consumer timeout
 * ({@link RabbitBrokerSettings#consumerTimeout()}) is handed over, so that RabbitMQ does not close the channel
 * under it and deliver it again: a guard copy carrying {@value #GUARD_HEADER} is parked in the delay queues until
 * the task's hard limit, and the original is acknowledged; the guard, once due, is run by the worker only if the
 * task has no final result ({@link Delivery#isGuard()}).
 */
public class RabbitBroker implements Broker, DelegatingDeadLetterQueue, AutoCloseable {

	/** The header a dead letter carries its reason in. */
	public static final String REASON_HEADER = "x-taskqueue-reason";

	/** The header a dead letter carries the queue it was rejected from in. */
	public static final String QUEUE_HEADER = "x-taskqueue-queue";

	/** The header a dead letter carries the time it was rejected at in (ISO 8601). */
	public static final String REJECTED_AT_HEADER = "x-taskqueue-rejected-at";

	/** The header a dead letter carries its id in, to address it in the {@link DeadLetterQueue}. */
	public static final String DEAD_LETTER_ID_HEADER = "x-taskqueue-dead-letter-id";

	/** The header a dead letter carries the original message's expiration in (it has none of its own). */
	public static final String EXPIRATION_HEADER = "x-taskqueue-expiration";

	/**
	 * The header a guard carries the instant it is due at in (ISO 8601): the copy of a long-running task's
	 * message parked when the message was handed over before the broker's consumer timeout.
	 */
	public static final String GUARD_HEADER = "taskqueue-guard-due";

	private static final Duration LONGEST_MARGIN = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(RabbitBroker.class);

	private final ConnectionFactory connectionFactory;

	private final RabbitBrokerSettings settings;

	private final ConfirmedPublisher publisher;

	private final DelayQueues delays;

	private final RabbitDeadLetters deadLetters;

	private final @Nullable MissingQueues missingQueues;

	private final Clock clock;

	private final AmqpAdmin admin;

	private final DeadLetterRetention retention;

	private final AtomicBoolean warnedUncapped = new AtomicBoolean();

	private final ScheduledThreadPoolExecutor handOvers;

	private final RabbitStatus status;

	/**
	 * Create a broker whose dead-letter queue was declared with the
	 * {@linkplain DeadLetterRetention#defaults() default retention}.
	 * @param connectionFactory the connection (Spring Boot's, from {@code spring.rabbitmq.*})
	 * @param admin declares the delay queues, and missing queues when the settings say so, as they are needed
	 * @param settings dead letters, delays, timeouts, missing queues
	 * @param clock the clock deferrals are computed with
	 */
	public RabbitBroker(ConnectionFactory connectionFactory, AmqpAdmin admin, RabbitBrokerSettings settings,
			Clock clock) {
		this(connectionFactory, admin, settings, clock, DeadLetterRetention.defaults());
	}

	/**
	 * Create a broker.
	 * @param connectionFactory the connection (Spring Boot's, from {@code spring.rabbitmq.*})
	 * @param admin declares the delay queues as they are needed, and reads the dead-letter queue's depth
	 * @param settings dead letters, delays, timeouts
	 * @param clock the clock deferrals are computed with
	 * @param retention the retention the dead-letter queue was declared with (see
	 * {@link RabbitTopology#declare(java.util.Collection, String, DeadLetterRetention)}), to count its drops
	 */
	public RabbitBroker(ConnectionFactory connectionFactory, AmqpAdmin admin, RabbitBrokerSettings settings,
			Clock clock, DeadLetterRetention retention) {
		this.admin = admin;
		this.retention = retention;
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.clock = clock;
		this.publisher = ConfirmedPublisher.onPublisherConnection(connectionFactory, settings.confirmTimeout());
		this.delays = new DelayQueues(admin, settings.delayExchange());
		this.deadLetters = new RabbitDeadLetters(connectionFactory, this.publisher, settings.deadLetterQueue());
		this.missingQueues = settings.createMissingQueues() ? new MissingQueues(admin) : null;
		this.handOvers = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-rabbitmq-hand-over");
			thread.setDaemon(true);
			return thread;
		});
		// a hand-over is scheduled for every task run and cancelled when it ends, mostly long before it is due
		this.handOvers.setRemoveOnCancelPolicy(true);
		this.status = new RabbitStatus(connectionFactory);
	}

	/**
	 * How long before the broker's consumer timeout a delivery still unacknowledged is handed over: a quarter
	 * of the timeout, at most a minute (RabbitMQ checks the timeout about once a minute per channel).
	 */
	private Duration margin() {
		Duration quarter = this.settings.consumerTimeout().dividedBy(4);
		return (quarter.compareTo(LONGEST_MARGIN) < 0) ? quarter : LONGEST_MARGIN;
	}

	@Override
	public void publish(String queue, Envelope envelope) {
		publish(Destination.queue(queue), envelope);
	}

	/**
	 * Publish to a route's exchange and routing key, or, as Celery does, to the default exchange with the
	 * queue's name as routing key. Mandatory: a message no queue takes fails the send. Sent to a queue through
	 * the default exchange, the first message to a queue that does not exist declares it, when the settings
	 * say so (as Celery's {@code task_create_missing_queues}).
	 */
	@Override
	public void publish(Destination destination, Envelope envelope) {
		String queue = declareIfMissing(destination);
		try {
			this.publisher.publish(exchange(destination), routingKey(destination), true,
					AmqpEnvelopeConverter.toProperties(envelope, AmqpEnvelopeConverter.PERSISTENT, true),
					envelope.body());
		}
		catch (BrokerException ex) {
			forget(queue);
			throw ex;
		}
	}

	/**
	 * Publish as {@link #publish(Destination, Envelope)} does, with the confirm correlated rather than awaited:
	 * many messages from one producer are in flight at once.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(Destination destination, Envelope envelope) {
		@Nullable String queue = null;
		try {
			queue = declareIfMissing(destination);
			CompletableFuture<Void> confirmed = this.publisher.publishAsync(exchange(destination),
					routingKey(destination), true,
					AmqpEnvelopeConverter.toProperties(envelope, AmqpEnvelopeConverter.PERSISTENT, true),
					envelope.body());
			if (queue != null) {
				String sentTo = queue;
				confirmed.whenComplete((ignored, error) -> {
					if (error != null) {
						forget(sentTo);
					}
				});
			}
			return confirmed;
		}
		catch (BrokerException ex) {
			forget(queue);
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Declare the queue a message goes to straight through the default exchange, if it is missing and the
	 * settings say so.
	 * @return the queue looked at, or {@code null} for none
	 */
	private @Nullable String declareIfMissing(Destination destination) {
		if (this.missingQueues == null || !exchange(destination).isEmpty()
				|| !routingKey(destination).equals(destination.queue())) {
			return null;
		}
		this.missingQueues.ensure(destination.queue());
		return destination.queue();
	}

	private void forget(@Nullable String queue) {
		// the queue may have gone since it was looked at: the next send looks again
		if (queue != null && this.missingQueues != null) {
			this.missingQueues.forget(queue);
		}
	}

	private static String exchange(Destination destination) {
		return (destination.exchange() != null) ? destination.exchange() : "";
	}

	private static String routingKey(Destination destination) {
		return (destination.routingKey() != null) ? destination.routingKey() : destination.queue();
	}

	@Override
	public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		boolean global = this.settings.globalQos() && queues.size() > 1;
		RabbitConsumer.Settings consuming = RabbitConsumer.Settings.acknowledged(queues, prefetch, global,
				this.settings.recoveryInterval(), "taskqueue-rabbitmq-recovery");
		return RabbitConsumer.start(this.connectionFactory, consuming, (channel) -> {
			if (this.missingQueues != null) {
				// as kombu's consumer declares its queues again when it revives: a queue that went away with its
				// virtual host (deleted and created again) is declared as Celery declares a missing queue, so the
				// consumer recovers on its own; a queue that exists is left exactly as it is
				queues.forEach(this.missingQueues::recheck);
			}
		}, (consumer, channel, queue, envelope, properties, body) -> {
			RabbitDelivery delivery = new RabbitDelivery(channel, consumer.acks(channel), queue, envelope, properties,
					body);
			consumer.handedOut();
			delivery.onSettled(consumer::settled);
			if (body.length > this.settings.maxMessageSize()) {
				// the client has read the body (the size its content header announced) before this runs; it is
				// refused here, before any decoding or copying, and never reaches the worker
				String reason = "message of " + body.length + " bytes is above the maximum message size of "
						+ this.settings.maxMessageSize() + " bytes (taskqueue.max-message-size)";
				logger.warn("Dead-lettered a message from queue '{}': {}", queue, reason);
				delivery.reject(reason);
				return;
			}
			Instant guardDue = delivery.guardDue();
			if (guardDue != null && guardDue.isAfter(this.clock.instant())) {
				// a guard back from a delay bucket before it is due: park it again for what is left, unseen by
				// the worker, whose own check is for the task's eta
				delivery.deferUntil(guardDue);
				return;
			}
			try {
				handler.onDelivery(delivery);
			}
			catch (Throwable ex) {
				// an Error too: thrown on, it would close the channel under every delivery in flight on it
				logger.error("Handler failed on a message from {}; returning it to the queue", queue, ex);
				delivery.requeue();
			}
		});
	}

	/**
	 * The connection factory's connection, opened again if RabbitMQ closed it, and a round trip on a channel of
	 * it, at most three seconds. Details: {@code host}, {@code port}, {@code virtualHost}, and the server's
	 * {@code product} and {@code version}.
	 */
	@Override
	public ComponentStatus status() {
		return this.status.status();
	}

	/**
	 * The queue's {@code message_count} from a passive declare (the messages ready, not those delivered and
	 * unacknowledged), on a channel of the admin's own: the channel a 404 closes is no consumer's. A queue that
	 * does not exist has none.
	 */
	@Override
	public long queueDepth(String queue) {
		QueueInformation information = queueInformation(queue);
		return (information != null) ? information.getMessageCount() : 0;
	}

	/**
	 * {@code queue.purge}: RabbitMQ removes the ready messages and says how many; those delivered and not yet
	 * acknowledged stay. A queue that does not exist has nothing to purge.
	 */
	@Override
	public int purge(String queue) {
		if (queueInformation(queue) == null) {
			return 0;
		}
		try {
			return this.admin.purgeQueue(queue);
		}
		catch (AmqpException ex) {
			throw new BrokerException("Could not purge queue '" + queue + "' in RabbitMQ: " + ex.getMessage(), ex);
		}
	}

	private @Nullable QueueInformation queueInformation(String queue) {
		try {
			return this.admin.getQueueInfo(queue);
		}
		catch (AmqpException ex) {
			throw new BrokerException("Could not look at queue '" + queue + "' in RabbitMQ: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public RabbitBrokerSettings getSettings() {
		return this.settings;
	}

	/**
	 * How many dead letters this broker keeps, and for how long.
	 * @return the retention
	 */
	public DeadLetterRetention getDeadLetterRetention() {
		return this.retention;
	}

	@Override
	public DeadLetterQueue deadLetterQueue() {
		return this.deadLetters;
	}

	@Override
	public void close() {
		this.handOvers.shutdownNow();
		this.publisher.close();
	}

	private void deadLetter(RabbitDelivery delivery, String reason) {
		Envelope dead = RabbitDeadLetters.deadLetter(delivery.envelope(), delivery.queue(), reason,
				this.clock.instant());
		long depth = deadLetterDepth();
		// no expiration of its own: the dead-letter queue's x-message-ttl ages it
		this.publisher.publish("", this.settings.deadLetterQueue(), true,
				AmqpEnvelopeConverter.toProperties(dead, AmqpEnvelopeConverter.PERSISTENT, false), dead.body());
		logger.warn("Dead-lettered a message from queue '{}' (task {}, id {}) to '{}': {}", delivery.queue(),
				LogText.escape(delivery.envelope().taskName()), LogText.escape(delivery.envelope().correlationId()),
				this.settings.deadLetterQueue(), LogText.escape(reason));
		countDrop(depth);
	}

	/**
	 * How many dead letters wait in the dead-letter queue, or -1 if RabbitMQ did not say.
	 */
	private long deadLetterDepth() {
		try {
			Properties properties = this.admin.getQueueProperties(this.settings.deadLetterQueue());
			Object count = (properties != null) ? properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT) : null;
			return (count instanceof Number number) ? number.longValue() : -1;
		}
		catch (AmqpException ex) {
			return -1;
		}
	}

	/**
	 * A dead letter published into a full queue made RabbitMQ drop the oldest ({@code x-overflow: drop-head}),
	 * which it does silently: count it here. As close as RabbitMQ lets a client see it: dead letters published
	 * at the same moment by other workers, or held by a walk, can make it miss one.
	 */
	private void countDrop(long depthBefore) {
		String where = "the dead-letter queue '" + this.settings.deadLetterQueue() + "' (all queues together)";
		if (depthBefore == this.retention.maxCount()) {
			this.retention.droppedOverMaxCount(where, 1);
		}
		else if (depthBefore > this.retention.maxCount() && this.warnedUncapped.compareAndSet(false, true)) {
			logger.warn("{} holds {} dead letters, more than taskqueue.dead-letters.max-count ({}): it was declared "
					+ "without that cap (see the warning at start-up for how to apply it)", where, depthBefore,
					this.retention.maxCount());
		}
	}

	private void park(RabbitDelivery delivery, Instant due) {
		Duration remaining = Duration.between(this.clock.instant(), due);
		long bucket = DelayQueues.bucketFor(remaining);
		try {
			String key = this.delays.declare(bucket);
			Envelope parked = delivery.envelope().withHeader(DelayQueues.DELAY_HEADER, key);
			// no expiration while parked: the worker checks 'expires' when the message comes back
			this.publisher.publish(this.delays.exchange(), delivery.queue(), true,
					AmqpEnvelopeConverter.toProperties(parked, AmqpEnvelopeConverter.PERSISTENT, false), parked.body());
		}
		catch (AmqpException | BrokerException ex) {
			this.delays.forget();
			throw ex;
		}
	}

	private void parkGuard(RabbitDelivery delivery, Instant due) {
		Envelope guard = delivery.envelope().withHeader(GUARD_HEADER, due.toString());
		Duration remaining = Duration.between(this.clock.instant(), due);
		try {
			String key = this.delays.declare(DelayQueues.bucketFor(remaining));
			Envelope parked = guard.withHeader(DelayQueues.DELAY_HEADER, key);
			this.publisher.publish(this.delays.exchange(), delivery.queue(), true,
					AmqpEnvelopeConverter.toProperties(parked, AmqpEnvelopeConverter.PERSISTENT, false), parked.body());
		}
		catch (AmqpException | BrokerException ex) {
			this.delays.forget();
			throw ex;
		}
	}

	private final class RabbitDelivery extends AbstractDelivery {

		private final Channel channel;

		private final long deliveryTag;

		private final ChannelAcks acks;

		private final long handedOutAt;

		/** Whether the message was handed over: a guard parked, the original acknowledged. */
		private boolean handedOver;

		private @Nullable ScheduledFuture<?> handOver;

		RabbitDelivery(Channel channel, ChannelAcks acks, String queue, com.rabbitmq.client.Envelope envelope,
				AMQP.BasicProperties properties, byte[] body) {
			super(AmqpEnvelopeConverter.toEnvelope(properties, body), queue, envelope.isRedeliver());
			this.channel = channel;
			this.acks = acks;
			this.deliveryTag = envelope.getDeliveryTag();
			this.handedOutAt = System.nanoTime();
		}

		/**
		 * When this guard is due, if it is one.
		 */
		@Nullable Instant guardDue() {
			Object due = envelope().headers().get(GUARD_HEADER);
			if (due == null) {
				return null;
			}
			try {
				return Instant.parse(due.toString());
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

		@Override
		public boolean isGuard() {
			return guardDue() != null;
		}

		@Override
		public void started(@Nullable Duration hardLimit) {
			Duration timeout = RabbitBroker.this.settings.consumerTimeout();
			Duration margin = margin();
			long elapsed = System.nanoTime() - this.handedOutAt;
			long delay = Math.max(0, timeout.minus(margin).toNanos() - elapsed);
			Instant startedAt = RabbitBroker.this.clock.instant();
			try {
				ScheduledFuture<?> scheduled = RabbitBroker.this.handOvers.schedule(
						() -> handOver(startedAt, hardLimit, margin), delay, TimeUnit.NANOSECONDS);
				synchronized (this) {
					this.handOver = scheduled;
				}
			}
			catch (RejectedExecutionException ex) {
				// the broker is closed
			}
		}

		/**
		 * Before the broker's consumer timeout, the task still running: park a guard due when the task can no
		 * longer be running (its hard limit, else one consumer timeout from now) and acknowledge the original.
		 */
		private synchronized void handOver(Instant startedAt, @Nullable Duration hardLimit, Duration margin) {
			if (isSettled() || this.handedOver || !this.channel.isOpen()) {
				return;
			}
			Instant due = (hardLimit != null) ? startedAt.plus(hardLimit).plus(margin)
					: RabbitBroker.this.clock.instant().plus(RabbitBroker.this.settings.consumerTimeout());
			try {
				parkGuard(this, due);
			}
			catch (RuntimeException ex) {
				logger.error("Could not hand over the message of task {} from '{}' before the consumer timeout; "
						+ "RabbitMQ may close its channel and deliver it again", LogText.escape(envelope().correlationId()),
						queue(), ex);
				return;
			}
			try {
				this.acks.ackNow(this.deliveryTag);
				this.handedOver = true;
				logger.info("Task {} runs longer than the consumer timeout ({}) allows a delivery: handed over to a "
						+ "guard due at {}", LogText.escape(envelope().correlationId()),
						RabbitBroker.this.settings.consumerTimeout(), due);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Could not acknowledge the handed-over message {} from '{}' ({}); RabbitMQ will deliver "
						+ "it again", this.deliveryTag, queue(), ex.toString());
			}
		}

		/**
		 * Settling: stop the hand-over; whether it already happened.
		 */
		private synchronized boolean settling() {
			if (this.handOver != null) {
				this.handOver.cancel(false);
			}
			return this.handedOver;
		}

		@Override
		protected void doAck() {
			if (settling()) {
				// the guard finds the outcome stored when it comes due, and is dropped
				return;
			}
			settleOnChannel("ack", () -> this.acks.ack(this.deliveryTag));
		}

		@Override
		protected void doRequeue() {
			if (settling()) {
				logger.info("Task {} was handed over: its guard brings it back when due",
						LogText.escape(envelope().correlationId()));
				return;
			}
			settleOnChannel("requeue", () -> this.acks.requeue(this.deliveryTag));
		}

		@Override
		protected void doReject(String reason) {
			try {
				deadLetter(this, reason);
				if (settling()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// losing a message is worse than seeing it again: leave it in its queue
				logger.error("Could not dead-letter a message from '{}' ({}); returning it to its queue", queue(),
						LogText.escape(reason), ex);
				doRequeue();
				return;
			}
			doAck();
		}

		@Override
		protected void doDefer(Instant due) {
			try {
				park(this, due);
				if (settling()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				logger.error("Could not park a message from '{}' until {}; returning it to its queue", queue(), due, ex);
				doRequeue();
				return;
			}
			doAck();
		}

		private void settleOnChannel(String what, ChannelAction action) {
			// on the channel the message came on: a delivery tag means nothing on any other
			if (!this.channel.isOpen()) {
				logger.debug("Cannot {} message {} from '{}': its channel is closed, RabbitMQ will deliver it again",
						what, this.deliveryTag, queue());
				return;
			}
			try {
				action.run();
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Could not {} message {} from '{}' ({}); RabbitMQ will deliver it again", what,
						this.deliveryTag, queue(), ex.toString());
			}
		}

	}

	@FunctionalInterface
	private interface ChannelAction {

		void run() throws IOException;

	}

}
