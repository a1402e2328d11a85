/**
 * A result backend in the JVM's memory, Celery's {@code cache+memory://}:
 * {@link dev.taskqueue.result.memory.InMemoryResultBackend}; its table is package-private.
 */
@NullMarked
package dev.taskqueue.result.memory;

import org.jspecify.annotations.NullMarked;
