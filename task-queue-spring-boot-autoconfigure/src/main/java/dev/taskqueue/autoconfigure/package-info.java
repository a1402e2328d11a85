/**
 * Spring Boot auto-configuration of Task Queue, and nothing else: {@code TaskQueueAutoConfiguration} wires
 * the core library's engine (registry, client, router, serializers, worker) to the broker and result backend
 * that {@code taskqueue.broker} and {@code taskqueue.result-backend} name, and {@code TaskQueueProperties}
 * holds the {@code taskqueue.*} settings, Celery's {@code task_*}, {@code worker_*} and {@code broker_*}
 * settings under Spring names. The Redis and RabbitMQ transports are optional dependencies: each of their
 * configurations switches on only when its module and its Spring connection are present, and a start-up that
 * asks for a transport without them fails with a failure analysis naming the starter to add.
 */
@NullMarked
package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
