/**
 * Celery's message protocol v2, as the types the client, the transports and the worker share:
 * {@link dev.taskqueue.protocol.TaskMessage} (a task's headers and body), {@link dev.taskqueue.protocol.Envelope}
 * (what a broker carries: the serialized body, its content type and encoding, the headers and message
 * properties), {@link dev.taskqueue.protocol.TimeLimit}, the header names of
 * {@link dev.taskqueue.protocol.ProtocolHeaders}, and the text forms Celery writes
 * ({@link dev.taskqueue.protocol.IsoTime}, {@link dev.taskqueue.protocol.PythonRepr}). The codec between a
 * message and its headers and body is in {@code dev.taskqueue.internal.protocol}.
 */
@NullMarked
package dev.taskqueue.protocol;

import org.jspecify.annotations.NullMarked;
