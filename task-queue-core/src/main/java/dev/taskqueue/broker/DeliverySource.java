package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A transport that hands out messages when asked (memory, Redis), so that {@link PollingSubscription}
 * can run the consumer loop and the prefetch bound for it.
 */
public interface DeliverySource {

	/**
	 * Take the next message from one of the queues, blocking (not spinning) until one arrives.
	 * @param queues the queues; the source decides the order it looks at them in, fairly
	 * @param timeout how long to wait at the most
	 * @return the delivery, or {@code null} if none arrived in time
	 * @throws InterruptedException if the thread was interrupted while waiting
	 */
	@Nullable AbstractDelivery poll(List<String> queues, Duration timeout) throws InterruptedException;

	/**
	 * Take up to {@code max} messages at once, for a source that can save round trips that way; by default
	 * one. Blocks like {@link #poll(List, Duration)} until at least one arrives.
	 * @param queues the queues
	 * @param max how many at the most (at least 1)
	 * @param timeout how long to wait at the most
	 * @return the deliveries, empty if none arrived in time
	 * @throws InterruptedException if the thread was interrupted while waiting
	 */
	default List<AbstractDelivery> poll(List<String> queues, int max, Duration timeout) throws InterruptedException {
		AbstractDelivery delivery = poll(queues, timeout);
		return (delivery != null) ? List.of(delivery) : List.of();
	}

}
