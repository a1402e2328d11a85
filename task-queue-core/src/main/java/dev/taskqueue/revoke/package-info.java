/**
 * Revoking tasks (Celery's {@code revoke} and the {@code celery.pidbox} broadcast that carries it):
 * {@link dev.taskqueue.revoke.TaskControl} is the application's call ({@code app.control.revoke}),
 * {@link dev.taskqueue.revoke.Revocations} what workers consult, kept in this JVM by
 * {@link dev.taskqueue.revoke.InMemoryRevocations} or shared by a transport;
 * {@link dev.taskqueue.revoke.CeleryPidbox} also crosses revocations to and from Celery workers through a
 * transport's {@link dev.taskqueue.revoke.PidboxTransport}.
 */
@NullMarked
package dev.taskqueue.revoke;

import org.jspecify.annotations.NullMarked;
