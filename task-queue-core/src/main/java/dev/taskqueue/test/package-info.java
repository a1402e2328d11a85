/**
 * Testing support for applications' tests of their tasks (Celery has {@code task_always_eager} and its pytest
 * fixtures): {@link dev.taskqueue.test.TaskQueueTestSupport} waits until the in-memory broker and the workers
 * are idle, so that an integration test asserts on every outcome once it is stored. For unit tests,
 * {@link dev.taskqueue.worker.EagerBroker} ({@code taskqueue.eager=true}) runs each task in the calling thread.
 * Nothing here is used by the library itself.
 */
@NullMarked
package dev.taskqueue.test;

import org.jspecify.annotations.NullMarked;
