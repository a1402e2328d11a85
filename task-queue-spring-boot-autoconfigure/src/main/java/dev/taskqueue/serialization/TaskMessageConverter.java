package dev.taskqueue.serialization;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolException;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.ProtocolV2;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Converts task messages to envelopes for brokers, and envelopes a worker received back to messages,
 * checking the content type against what the worker accepts.
 */
public class TaskMessageConverter {

	/** The {@code compression} header of kombu's zlib codec (named after gzip, but zlib bytes). */
	private static final String ZLIB = "application/x-gzip";

	private final SerializerRegistry serializers;

	private final Clock clock;

	/**
	 * Create a converter.
	 * @param serializers the serializers and accepted content types
	 * @param clock the clock that turns an expiry into a time to live
	 */
	public TaskMessageConverter(SerializerRegistry serializers, Clock clock) {
		this.serializers = serializers;
		this.clock = clock;
	}

	/**
	 * Serialize a message into an envelope.
	 * @param message the message
	 * @param serializer the serializer's name or content type
	 * @param replyTo the sender's id, where results are sent when the result backend needs it
	 * @param priority the message priority
	 * @return the envelope
	 * @throws SerializationException if the arguments cannot be serialized
	 */
	public Envelope toEnvelope(TaskMessage message, String serializer, String replyTo, int priority) {
		Serializer writer = this.serializers.get(serializer);
		byte[] body = writer.serialize(ProtocolV2.body(message));
		// As Celery: an expiry is also the message's time to live in milliseconds (RabbitMQ drops it then).
		String expiration = (message.expires() != null)
				? String.valueOf(Math.max(0, Duration.between(this.clock.instant(), message.expires()).toMillis()))
				: null;
		return new Envelope(body, writer.contentType(), writer.contentEncoding(), ProtocolV2.headers(message),
				message.id(), replyTo, priority, expiration);
	}

	/**
	 * Deserialize a received envelope into a message.
	 * @param envelope the envelope
	 * @return the message
	 * @throws SerializationException if the content type is not accepted, or the body cannot be decompressed
	 * (zlib only) or read
	 * @throws ProtocolException if the message does not follow protocol v2
	 */
	public TaskMessage fromEnvelope(Envelope envelope) {
		Serializer reader = this.serializers.forAcceptedContent(envelope.contentType());
		Map<String, Object> headers = envelope.headers();
		Object body = reader.deserialize(decompress(envelope.body(), headers.get(ProtocolHeaders.COMPRESSION)));
		return ProtocolV2.read(headers, body);
	}

	// A Celery peer with task_compression='zlib' (or 'gzip', kombu's alias) sends zlib bytes and says so in
	// the 'compression' header; the other codecs kombu knows (bz2, lzma, brotli, zstd) are refused by name.
	private static byte[] decompress(byte[] body, Object compression) {
		if (compression == null) {
			return body;
		}
		if (!ZLIB.equals(compression)) {
			throw new SerializationException("Cannot decompress a body compressed as '" + compression
					+ "'; only '" + ZLIB + "' (zlib) is supported");
		}
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(body);
			ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int count = inflater.inflate(buffer);
				if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new SerializationException("The zlib-compressed body is truncated");
				}
				out.write(buffer, 0, count);
			}
			return out.toByteArray();
		}
		catch (DataFormatException ex) {
			throw new SerializationException("The body is not valid zlib data: " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

}
