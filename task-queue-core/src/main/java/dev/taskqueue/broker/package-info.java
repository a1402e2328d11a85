/**
 * The broker SPI, what a transport implements (Celery's kombu transports): a
 * {@link dev.taskqueue.broker.Broker} publishes {@link dev.taskqueue.protocol.Envelope envelopes} and subscribes
 * to queues; a {@link dev.taskqueue.broker.Delivery} is settled once (ack, requeue, reject to the
 * {@link dev.taskqueue.broker.DeadLetterQueue dead letters}, or defer until due). Pull transports implement
 * {@link dev.taskqueue.broker.DeliverySource} and get the consumer loop and the prefetch bound from
 * {@link dev.taskqueue.broker.PollingSubscription}; {@link dev.taskqueue.broker.AbstractDelivery} makes a
 * delivery settle once. The public types are for transport authors; the prefetch slots are package-private.
 * Knows the protocol, nothing of the worker or the client.
 */
@NullMarked
package dev.taskqueue.broker;

import org.jspecify.annotations.NullMarked;
