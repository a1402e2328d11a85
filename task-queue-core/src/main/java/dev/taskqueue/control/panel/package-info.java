/**
 * The remote-control commands a worker answers out of the box, Celery's {@code Panel}: made with
 * {@link dev.taskqueue.control.panel.Panel#builder}, each a {@link dev.taskqueue.control.ControlCommand} that the
 * worker's {@link dev.taskqueue.control.CeleryPidbox} runs. They read and change the worker through
 * {@link dev.taskqueue.worker.Workers}, the {@link dev.taskqueue.registry.TaskRegistry} and the
 * {@link dev.taskqueue.revoke.Revocations}; everything but {@code Panel} is package-private.
 */
@NullMarked
package dev.taskqueue.control.panel;

import org.jspecify.annotations.NullMarked;
