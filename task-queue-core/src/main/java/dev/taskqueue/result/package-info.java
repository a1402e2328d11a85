/**
 * The result backend SPI (Celery's result backends): a {@link dev.taskqueue.result.ResultBackend} stores
 * and fetches {@link dev.taskqueue.result.TaskResult}s, Celery's result document ({@code celery-task-meta-*}),
 * saves groups and may join chords natively; {@link dev.taskqueue.result.ResultTuples} reads and writes Celery's
 * result tuples; {@link dev.taskqueue.result.DisabledResultBackend} stores nothing. Knows the protocol, nothing of the worker
 * or the client.
 */
@NullMarked
package dev.taskqueue.result;

import org.jspecify.annotations.NullMarked;
