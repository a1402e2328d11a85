package dev.taskqueue.serialization;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.internal.protocol.ProtocolV2;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolException;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Converts task messages to envelopes for brokers, and envelopes a worker received back to messages:
 * serialization, compression (Celery's {@code compression} header), the accept-content whitelist and the
 * size and nesting limits.
 */
public class TaskMessageConverter {

	private final SerializerRegistry serializers;

	private final Compressors compressors;

	private final MessageLimits limits;

	private final Clock clock;

	/**
	 * Create a converter.
	 * @param serializers the serializers and accepted content types
	 * @param compressors the compressions
	 * @param limits the size and nesting limits
	 * @param clock the clock that turns an expiry into a time to live
	 */
	public TaskMessageConverter(SerializerRegistry serializers, Compressors compressors, MessageLimits limits,
			Clock clock) {
		this.serializers = serializers;
		this.compressors = compressors;
		this.limits = limits;
		this.clock = clock;
	}

	/**
	 * Create a converter with JSON-only compression defaults (zlib) and the default limits.
	 * @param serializers the serializers and accepted content types
	 * @param clock the clock that turns an expiry into a time to live
	 */
	public TaskMessageConverter(SerializerRegistry serializers, Clock clock) {
		this(serializers, new Compressors(java.util.List.of(new ZlibCompressor())), MessageLimits.DEFAULTS, clock);
	}

	/**
	 * Serialize a message into an envelope.
	 * @param message the message
	 * @param serializer the serializer's name or content type
	 * @param compression the compression's name, or {@code null} for none
	 * @param replyTo the sender's id, where results are sent when the result backend needs it
	 * @param priority the message priority
	 * @return the envelope
	 * @throws SerializationException if the arguments cannot be serialized or are over the limits
	 */
	public Envelope toEnvelope(TaskMessage message, String serializer, @Nullable String compression,
			@Nullable String replyTo, int priority) {
		this.limits.checkDepth(message.args(), "The arguments of ", message.task());
		this.limits.checkDepth(message.kwargs(), "The keyword arguments of ", message.task());
		Serializer writer = this.serializers.get(serializer);
		byte[] body = writer.serialize(ProtocolV2.body(message));
		Map<String, Object> headers = ProtocolV2.headers(message);
		if (compression != null) {
			Compressor compressor = this.compressors.get(compression);
			body = compressor.compress(body);
			headers.put(ProtocolHeaders.COMPRESSION, compressor.contentType());
		}
		this.limits.checkSize(body.length, "The message of ", message.task());
		// As Celery: an expiry is also the message's time to live in milliseconds (RabbitMQ drops it then).
		String expiration = (message.expires() != null)
				? String.valueOf(Math.max(0, Duration.between(this.clock.instant(), message.expires()).toMillis()))
				: null;
		return new Envelope(body, writer.contentType(), writer.contentEncoding(), headers, message.id(), replyTo,
				priority, expiration);
	}

	/**
	 * Serialize a message into an envelope, uncompressed.
	 * @param message the message
	 * @param serializer the serializer's name or content type
	 * @param replyTo the sender's id
	 * @param priority the message priority
	 * @return the envelope
	 */
	public Envelope toEnvelope(TaskMessage message, String serializer, @Nullable String replyTo, int priority) {
		return toEnvelope(message, serializer, null, replyTo, priority);
	}

	/**
	 * Deserialize a received envelope into a message.
	 * @param envelope the envelope
	 * @return the message
	 * @throws SerializationException if the content type is not accepted, the body cannot be read, or it is
	 * over the limits
	 * @throws ProtocolException if the message does not follow protocol v2
	 */
	public TaskMessage fromEnvelope(Envelope envelope) {
		Serializer reader = this.serializers.forAcceptedContent(envelope.contentType());
		this.limits.checkSize(envelope.body().length, "The message");
		byte[] body = envelope.body();
		Object compression = envelope.headers().get(ProtocolHeaders.COMPRESSION);
		if (compression != null) {
			body = this.compressors.get(compression.toString()).decompress(body, this.limits.maxBytes());
		}
		Object decoded = reader.deserialize(body);
		this.limits.checkDepth(decoded, "The message's arguments");
		return ProtocolV2.read(envelope.headers(), decoded);
	}

}
