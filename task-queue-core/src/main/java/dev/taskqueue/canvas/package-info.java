/**
 * Celery's canvas, the Java way: {@link dev.taskqueue.canvas.Signature} (one task, not sent yet),
 * {@link dev.taskqueue.canvas.Chain}, {@link dev.taskqueue.canvas.Group} and {@link dev.taskqueue.canvas.Chord},
 * immutable values that travel as Celery's signature dicts, so a workflow passes through Celery workers and ours
 * alike; {@link dev.taskqueue.canvas.CanvasClient} sends them and {@link dev.taskqueue.canvas.GroupResult} reads a
 * group's results. The client implements the sending; workers continue what a message carries
 * ({@code callbacks}, {@code errbacks}, {@code chain}, {@code chord}) through the same interface.
 */
@NullMarked
package dev.taskqueue.canvas;

import org.jspecify.annotations.NullMarked;
