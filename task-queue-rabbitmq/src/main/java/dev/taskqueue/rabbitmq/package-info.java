/**
 * Celery's AMQP transport on RabbitMQ, on Spring AMQP's connection factory: what kombu's {@code pyamqp://}
 * transport (py-amqp) and Celery's {@code rpc://} result backend do, with the same messages on the wire.
 * {@link RabbitBroker} is the transport's channel (kombu's {@code Channel}: tasks published persistent to the
 * default exchange, consumed with {@code basic.consume}, manual acknowledgements and a prefetch, as Celery's
 * consumer does), configured by {@link RabbitBrokerSettings} and extended with delay queues for ETA tasks and a
 * dead-letter queue; {@link RabbitTopology} declares the exchanges, queues and bindings (Celery's
 * {@code task_queues}, kombu's {@code Exchange} and {@code Queue}); {@link RpcResultBackend} is Celery's
 * {@code rpc://} backend ({@code celery.backends.rpc.RPCBackend}), configured by
 * {@link RpcResultBackendSettings}; {@link RabbitPidboxTransport} carries Celery's remote control
 * ({@code celery.pidbox}, kombu's {@code Mailbox}); {@link RabbitEventTransport} carries Celery's events (the
{@code celeryev} topic exchange, a queue per receiver); {@link RabbitRevocations} shares revocations through a
 * stream; {@link RabbitBeatStore} keeps the beat's lead and state in a single-active-consumer queue. The rest is package-private: the AMQP field types py-amqp writes, confirmed publishing, the consumer
 * and its recovery, batched acknowledgements, delay queues and the walks of the dead-letter queue.
 */
@NullMarked
package dev.taskqueue.rabbitmq;

import org.jspecify.annotations.NullMarked;
