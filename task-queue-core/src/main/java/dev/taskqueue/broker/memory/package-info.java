/**
 * A broker in the JVM's memory, Celery's {@code memory://} transport: for tests and applications that
 * send and run their tasks in one process. {@link dev.taskqueue.broker.memory.InMemoryBroker} is public, to be
 * declared or used in tests; its priority queue is package-private.
 */
@NullMarked
package dev.taskqueue.broker.memory;

import org.jspecify.annotations.NullMarked;
