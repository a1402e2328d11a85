package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop for a {@link DeliverySource}: one thread that takes prefetch slots, polls messages,
 * and hands them to the handler; a slot is freed when its delivery is settled. So at most {@code prefetch}
 * deliveries are unsettled, and an idle consumer waits in the source instead of spinning. A busy consumer
 * refills in batches (a quarter of its prefetch, up to 16 messages), so that each poll is worth its round trip.
 */
public final class PollingSubscription implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(PollingSubscription.class);

	private static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

	/** The most messages taken in one poll, when that many prefetch slots are free. */
	private static final int MAX_BATCH = 16;

	private final DeliverySource source;

	private final List<String> queues;

	private final Semaphore slots;

	private final int refill;

	private final DeliveryHandler handler;

	private final Duration pollTimeout;

	private final Thread thread;

	private volatile boolean running = true;

	private PollingSubscription(DeliverySource source, List<String> queues, int prefetch, DeliveryHandler handler,
			String threadName, Duration pollTimeout) {
		if (prefetch < 1) {
			throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
		}
		this.source = source;
		this.queues = List.copyOf(queues);
		this.slots = new Semaphore(prefetch);
		this.refill = Math.max(1, Math.min(MAX_BATCH, prefetch / 4));
		this.handler = handler;
		this.pollTimeout = pollTimeout;
		this.thread = new Thread(this::run, threadName);
		this.thread.setDaemon(true);
	}

	/**
	 * Start consuming.
	 * @param source where messages come from
	 * @param queues the queues to consume
	 * @param prefetch the most unsettled deliveries at once
	 * @param handler who gets the deliveries
	 * @param threadName the consumer thread's name
	 * @return the running subscription
	 */
	public static PollingSubscription start(DeliverySource source, List<String> queues, int prefetch,
			DeliveryHandler handler, String threadName) {
		return start(source, queues, prefetch, handler, threadName, DEFAULT_POLL_TIMEOUT);
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
		PollingSubscription subscription = new PollingSubscription(source, queues, prefetch, handler, threadName,
				pollTimeout);
		subscription.thread.start();
		return subscription;
	}

	private void run() {
		while (this.running) {
			try {
				// a consumer that still holds three quarters of its prefetch waits until a batch of slots is free,
				// so that one round trip takes a batch rather than a message or two; free slots beyond it join in
				this.slots.acquire(this.refill);
				int granted = this.refill + takeFreeSlots(MAX_BATCH - this.refill);
				for (AbstractDelivery delivery : pollOrRelease(granted)) {
					delivery.onSettled(this.slots::release);
					hand(delivery);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// a broker outage must not end the consumer: log, back off, try again
				logger.warn("Consuming from {} failed, retrying in {}: {}", this.queues, RETRY_DELAY, ex.toString());
				pause();
			}
		}
	}

	private void hand(AbstractDelivery delivery) {
		try {
			this.handler.onDelivery(delivery);
		}
		catch (RuntimeException ex) {
			logger.error("Handler failed on a message from {}; returning it to the queue", delivery.queue(), ex);
			delivery.requeue();
		}
	}

	private int takeFreeSlots(int most) {
		int taken = 0;
		while (taken < most && this.slots.tryAcquire()) {
			taken++;
		}
		return taken;
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
		return (max == 1) ? single(this.source.poll(this.queues, this.pollTimeout))
				: this.source.poll(this.queues, max, this.pollTimeout);
	}

	private static List<AbstractDelivery> single(AbstractDelivery delivery) {
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
