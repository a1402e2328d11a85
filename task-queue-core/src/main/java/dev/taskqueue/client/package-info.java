/**
 * The producer side: {@link dev.taskqueue.client.TaskTemplate}, the {@link dev.taskqueue.TaskClient} (made
 * with {@link dev.taskqueue.client.TaskTemplate#builder}), routes a task, builds its protocol v2 message and
 * publishes it, and sends Celery's canvas as its {@link dev.taskqueue.canvas.CanvasClient}. The result handles,
 * the task ids and the canvas's sending ({@code CanvasSender}) are package-private:
 * the builder makes what the template needs, so the client needs no internal package.
 */
@NullMarked
package dev.taskqueue.client;

import org.jspecify.annotations.NullMarked;
