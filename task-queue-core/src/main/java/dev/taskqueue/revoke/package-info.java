/**
 * Revoking tasks (Celery's {@code revoke}): {@link dev.taskqueue.revoke.Revocations} is what workers consult,
 * kept in this JVM by {@link dev.taskqueue.revoke.InMemoryRevocations} or shared by a transport. The
 * application's call ({@code app.control.revoke}) and the crossing to and from Celery workers through
 * {@code celery.pidbox} are in {@code dev.taskqueue.control}.
 */
@NullMarked
package dev.taskqueue.revoke;

import org.jspecify.annotations.NullMarked;
