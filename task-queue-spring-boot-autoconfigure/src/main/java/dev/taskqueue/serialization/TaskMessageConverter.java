package dev.taskqueue.serialization;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolException;
import dev.taskqueue.protocol.ProtocolV2;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Converts task messages to envelopes for brokers, and envelopes a worker received back to messages,
 * checking the content type against what the worker accepts.
 */
public class TaskMessageConverter {

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
	 * @throws SerializationException if the content type is not accepted or the body cannot be read
	 * @throws ProtocolException if the message does not follow protocol v2
	 */
	public TaskMessage fromEnvelope(Envelope envelope) {
		Serializer reader = this.serializers.forAcceptedContent(envelope.contentType());
		Object body = reader.deserialize(envelope.body());
		Map<String, Object> headers = envelope.headers();
		return ProtocolV2.read(headers, body);
	}

}
