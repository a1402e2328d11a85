package dev.taskqueue.broker;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.status.ComponentStatus;

/**
 * A transport: moves envelopes from producers to consumers and knows acknowledgements, requeues, deferral
 * and dead letters. It never looks inside a message's body: everything else is the engine's job.
 * <p>
 * Implementations: {@link dev.taskqueue.broker.memory.InMemoryBroker}. A bean of this type replaces the
 * configured one.
 */
public interface Broker {

	/**
	 * Publish a message to a queue. Returns once the broker has taken it.
	 * @param queue the queue
	 * @param envelope the message
	 * @throws BrokerException if the broker did not take the message
	 */
	void publish(String queue, Envelope envelope);

	/**
	 * Publish a message to a destination. Brokers without exchanges (memory, Redis) deliver to the queue.
	 * @param destination the queue, or exchange and routing key
	 * @param envelope the message
	 * @throws BrokerException if the broker did not take the message
	 */
	default void publish(Destination destination, Envelope envelope) {
		publish(destination.queue(), envelope);
	}

	/**
	 * Publish a message without waiting for the broker, so that one producer can have many messages in flight:
	 * the future completes once the broker has taken the message (for RabbitMQ, once it confirmed it), or
	 * fails with a {@link BrokerException}. Redis and RabbitMQ pipeline such publishes on one connection; by
	 * default the publish is synchronous and the future complete on return.
	 * @param destination the queue, or exchange and routing key
	 * @param envelope the message
	 * @return a future completed when the broker has the message
	 */
	default CompletableFuture<Void> publishAsync(Destination destination, Envelope envelope) {
		try {
			publish(destination, envelope);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Start consuming from queues. Deliveries are handed to the handler on the broker's consumer thread; at
	 * most {@code prefetch} of them are unsettled at any time.
	 * @param queues the queues, consumed fairly
	 * @param prefetch how many deliveries may be unsettled at once
	 * @param handler what to do with each delivery; it must settle every delivery eventually
	 * @return the subscription, to cancel
	 */
	Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler);

	/**
	 * Whether the broker is reachable now: a round trip to its server, bounded to a few seconds, never a cached
	 * answer. Health reads it on each check.
	 * @return up with the server's details, or down with the reason; the in-memory broker is always up
	 */
	default ComponentStatus status() {
		return ComponentStatus.up(java.util.Map.of());
	}

	/**
	 * How many messages wait in a queue, ready to be delivered (not those delivered and unacknowledged, nor
	 * those waiting for their eta).
	 * @param queue the queue
	 * @return the count, or -1 if this broker cannot tell
	 * @throws BrokerException if the broker cannot be reached
	 */
	default long queueDepth(String queue) {
		return -1;
	}

	/**
	 * Remove every message waiting in a queue (Celery's {@code celery purge -Q queue}); messages delivered and
	 * not yet acknowledged stay.
	 * @param queue the queue
	 * @return how many were removed
	 * @throws BrokerException if the broker cannot be reached
	 * @throws UnsupportedOperationException if this broker cannot purge
	 */
	default int purge(String queue) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot purge a queue");
	}

}
