/**
 * The producer side: {@link dev.taskqueue.client.TaskTemplate}, the {@link dev.taskqueue.TaskClient} (made
 * with {@link dev.taskqueue.client.TaskTemplate#builder}), routes a task, builds its protocol v2 message and
 * publishes it. The result handles, the task ids and the resolution of method references are package-private:
 * the builder makes what the template needs, so the client needs no internal package.
 */
@NullMarked
package dev.taskqueue.client;

import org.jspecify.annotations.NullMarked;
