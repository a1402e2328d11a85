/**
 * Celery's remote control ({@code app.control}, the {@code celery.pidbox} mailbox): {@link dev.taskqueue.control.TaskControl}
 * is the application's side (revoke, ping, inspect, control commands, replies collected for a timeout);
 * {@link dev.taskqueue.control.CeleryPidbox} is a worker's side (Celery's pidbox {@code Node}): it listens on the
 * mailbox through a transport's {@link dev.taskqueue.control.PidboxTransport}, answers the commands addressed to
 * it with the {@link dev.taskqueue.control.ControlCommand}s it has (Celery's {@code Panel}: the built-in ones of
 * {@link dev.taskqueue.control.panel.Panel} and the application's own), in Celery's reply format, and refuses
 * those {@link dev.taskqueue.control.AllowedCommands} switches off, so that {@code celery inspect},
 * {@code celery control} and Flower see and steer Java workers. {@link dev.taskqueue.control.CeleryRevocations}
 * broadcasts the application's revocations as Celery's {@code revoke}.
 * <p>
 * The client's side is public for users: {@link dev.taskqueue.control.TaskControl}, its
 * {@link dev.taskqueue.control.Inspector}, {@link dev.taskqueue.control.ControlOptions} and the
 * {@link dev.taskqueue.control.Replies} with their records; {@link dev.taskqueue.control.InMemoryPidboxTransport} is
 * the in-memory broker's transport. The package-private {@code Mailbox} sends commands and collects replies as
 * kombu's does.
 */
@NullMarked
package dev.taskqueue.control;

import org.jspecify.annotations.NullMarked;
