/**
 * Bytes and plain values (kombu's serializers and compression): the
 * {@link dev.taskqueue.serialization.Serializer} SPI with {@link dev.taskqueue.serialization.JsonSerializer},
 * {@link dev.taskqueue.serialization.MsgpackSerializer} and {@link dev.taskqueue.serialization.YamlSerializer};
 * the {@link dev.taskqueue.serialization.Compressor} SPI with zlib, bzip2 and lzma;
 * {@link dev.taskqueue.serialization.SerializerRegistry} (Celery's {@code accept_content}),
 * {@link dev.taskqueue.serialization.Compressors}, {@link dev.taskqueue.serialization.MessageLimits}, and
 * {@link dev.taskqueue.serialization.TaskMessageConverter} between a task message and its envelope;
 * {@link dev.taskqueue.serialization.KombuTypes}, kombu 5.3's typed JSON values (Celery 5.3+ writes
 * {@code datetime}, {@code Decimal}, {@code UUID} and {@code bytes} as {@code {"__type__": ..., "__value__": ...}}),
 * read always and written as {@link dev.taskqueue.serialization.TypedValues} says. The
 * readers and writers behind the serializers, and the compressors' common base, are package-private. Knows the
 * protocol, nothing of the engine.
 */
@NullMarked
package dev.taskqueue.serialization;

import org.jspecify.annotations.NullMarked;
