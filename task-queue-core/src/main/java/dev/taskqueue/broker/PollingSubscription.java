package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop for a {@link DeliverySource}: one thread that takes prefetch slots, polls messages,
 * and hands them to the handler; a slot is freed when its delivery is settled. So at most {@code prefetch}
 * deliveries are unsettled, and an idle consumer waits in the source instead of spinning. A busy consumer
 * refills in batches (a quarter of its prefetch, up to 16 messages), so that each poll is worth its round trip.
 * <p>
 * It {@linkplain #isConsuming(String) consumes} while its loop runs, its last poll did not fail and the poll under
 * way, if any, has not outlasted its timeout by {@value #STALL_GRACE_MILLIS} ms: a poll held by a client that
 * waits for its server to come back (Lettuce holds commands while it reconnects) is an outage too.
 */
public final class PollingSubscription implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(PollingSubscription.class);

	private static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

	/** The most messages taken in one poll, when that many prefetch slots are free. */
	private static final int MAX_BATCH = 16;

	/** How much longer than its timeout a poll may take before the consumer counts as stalled. */
	private static final long STALL_GRACE_MILLIS = 2000;

	/** How long the consumer waits for its refill of free slots before it polls with fewer. */
	private static final long REFILL_LINGER_NANOS = Duration.ofMillis(1).toNanos();

	private final DeliverySource source;

	private final List<String> queues;

	private final PrefetchSlots slots;

	/** How many free slots the consumer waits for before it polls again. */
	private final int refill;

	private final DeliveryHandler handler;

	private final Duration pollTimeout;

	private final Thread thread;

	private volatile boolean running = true;

	/** Whether the last poll threw (the source's server is away); cleared by the next poll that does not. */
	private volatile boolean failing;

	/** {@link System#nanoTime()} when the poll under way started, or 0 between polls. */
	private volatile long pollingSince;

	private PollingSubscription(DeliverySource source, List<String> queues, int prefetch, DeliveryHandler handler,
			String threadName, Duration pollTimeout, int refill) {
		if (prefetch < 1) {
			throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
		}
		if (refill < 1) {
			throw new IllegalArgumentException("refill must be at least 1, was " + refill);
		}
		this.source = source;
		this.queues = List.copyOf(queues);
		this.slots = new PrefetchSlots(prefetch);
		this.refill = Math.min(Math.min(refill, prefetch), MAX_BATCH);
		this.handler = handler;
		this.pollTimeout = pollTimeout;
		this.thread = new Thread(this::run, threadName);
		this.thread.setDaemon(true);
	}

	/**
	 * Start consuming, refilling a quarter of the prefetch at a time.
	 * @param source where messages come from
	 * @param queues the queues to consume
	 * @param prefetch the most unsettled deliveries at once
	 * @param handler who gets the deliveries
	 * @param threadName the consumer thread's name
	 * @return the running subscription
	 */
	public static PollingSubscription start(DeliverySource source, List<String> queues, int prefetch,
			DeliveryHandler handler, String threadName) {
		return start(source, queues, prefetch, handler, threadName, DEFAULT_POLL_TIMEOUT, Math.max(1, prefetch / 4));
	}

	/**
	 * Start consuming, waiting at most {@code pollTimeout} in each poll; a cancel takes effect within it.
	 * @param source where messages come from
	 * @param queues the queues to consume
	 * @param prefetch the most unsettled deliveries at once
	 * @param handler who gets the deliveries
	 * @param threadName the consumer thread's name
	 * @param pollTimeout the longest wait of one poll
	 * @return the running subscription
	 */
	public static PollingSubscription start(DeliverySource source, List<String> queues, int prefetch,
			DeliveryHandler handler, String threadName, Duration pollTimeout) {
		return start(source, queues, prefetch, handler, threadName, pollTimeout, 1);
	}

	/**
	 * Start consuming, polling again only once {@code refill} prefetch slots are free: with all slots taken,
	 * the consumer then wakes once per {@code refill} settled deliveries instead of once per delivery, at
	 * the price of holding up to {@code refill - 1} fewer messages than {@code prefetch} for at most a
	 * millisecond (then it polls with the slots it has). For a source whose poll is cheap (memory), where
	 * the wake-ups cost more than the messages.
	 * @param source where messages come from
	 * @param queues the queues to consume
	 * @param prefetch the most unsettled deliveries at once
	 * @param handler who gets the deliveries
	 * @param threadName the consumer thread's name
	 * @param pollTimeout the longest wait of one poll
	 * @param refill how many free slots to wait for before polling (1 polls as soon as one is free; capped
	 * at {@code prefetch} and at the largest batch)
	 * @return the running subscription
	 */
	public static PollingSubscription start(DeliverySource source, List<String> queues, int prefetch,
			DeliveryHandler handler, String threadName, Duration pollTimeout, int refill) {
		PollingSubscription subscription = new PollingSubscription(source, queues, prefetch, handler, threadName,
				pollTimeout, refill);
		subscription.thread.start();
		return subscription;
	}

	private void run() {
		while (this.running) {
			try {
				// the free slots beyond the first let the source take several messages in one round trip
				int granted = this.slots.acquire(this.refill, MAX_BATCH, REFILL_LINGER_NANOS);
				for (AbstractDelivery delivery : pollOrRelease(granted)) {
					delivery.onSettled(this::releaseSlot);
					hand(delivery);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// a broker outage must not end the consumer: log, back off, try again
				this.failing = true;
				logger.warn("Consuming from {} failed, retrying in {}: {}", this.queues, RETRY_DELAY, ex.toString());
				pause();
			}
			catch (Throwable ex) {
				// nor an Error: a consumer thread that ends leaves its worker taking nothing, without a word
				this.failing = true;
				LoopStep.failed("The consumer of " + this.queues, ex);
				pause();
			}
		}
	}

	private void hand(AbstractDelivery delivery) {
		try {
			this.handler.onDelivery(delivery);
		}
		catch (Throwable ex) {
			logger.error("Handler failed on a message from {}; returning it to the queue", delivery.queue(), ex);
			delivery.requeue();
		}
	}

	private void releaseSlot() {
		this.slots.release(1);
	}

	private List<AbstractDelivery> pollOrRelease(int granted) throws InterruptedException {
		List<AbstractDelivery> deliveries = List.of();
		try {
			deliveries = this.running ? pollSource(granted) : List.of();
			return deliveries;
		}
		finally {
			// give back the slots nothing arrived for
			this.slots.release(granted - deliveries.size());
		}
	}

	private List<AbstractDelivery> pollSource(int max) throws InterruptedException {
		this.pollingSince = System.nanoTime();
		try {
			List<AbstractDelivery> deliveries = (max == 1) ? single(this.source.poll(this.queues, this.pollTimeout))
					: this.source.poll(this.queues, max, this.pollTimeout);
			this.failing = false;
			return deliveries;
		}
		finally {
			this.pollingSince = 0;
		}
	}

	private static List<AbstractDelivery> single(@Nullable AbstractDelivery delivery) {
		return (delivery != null) ? List.of(delivery) : List.of();
	}

	private void pause() {
		try {
			Thread.sleep(RETRY_DELAY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	/**
	 * Whether the queue is consumed now: the loop runs, its last poll did not fail, and the poll under way (if
	 * any) has not outlasted its timeout by more than {@value #STALL_GRACE_MILLIS} ms. A consumer waiting for free
	 * prefetch slots, all its deliveries held by the worker, is consuming. A cancelled subscription consumes until
	 * its loop ends: the poll under way may still take a message.
	 * @param queue one of the queues subscribed to
	 * @return whether it is consumed; {@code false} once a cancel took effect, and for a queue not subscribed to
	 */
	@Override
	public boolean isConsuming(String queue) {
		if (!this.thread.isAlive() || this.failing || !this.queues.contains(queue)) {
			return false;
		}
		long since = this.pollingSince;
		return since == 0 || System.nanoTime() - since <= this.pollTimeout.toNanos()
				+ TimeUnit.MILLISECONDS.toNanos(STALL_GRACE_MILLIS);
	}

	@Override
	public void cancel() {
		this.running = false;
		try {
			this.thread.join(this.pollTimeout.multipliedBy(3).plusSeconds(1).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
