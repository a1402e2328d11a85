package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;

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
	AbstractDelivery poll(List<String> queues, Duration timeout) throws InterruptedException;

}
