package dev.taskqueue.serialization;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.Envelope;

/**
 * The JSON message of kombu's virtual transports (Redis, SQS, and the others built on {@code kombu.transport.virtual}):
 * the body in base64, content type and encoding, the headers, and the properties with the correlation id, reply-to,
 * delivery tag, delivery info and priority. Each transport carries it its own way (a Redis list holds the text,
 * SQS its base64); this is what they share. It never looks inside the task's body.
 * <pre>{@code
 * {"body": "W1sxLCAyXSwge30sIHt9XQ==", "content-encoding": "utf-8", "content-type": "application/json",
 *  "headers": {"task": "tasks.add", "id": "..."},
 *  "properties": {"correlation_id": "...", "reply_to": "...", "delivery_mode": 2, "priority": 0,
 *                 "delivery_info": {"exchange": "", "routing_key": "celery"}, "body_encoding": "base64",
 *                 "delivery_tag": "..."}}
 * }</pre>
 */
public final class KombuMessageFormat {

	private final JsonSerializer reader;

	/**
	 * Create the format.
	 * @param mapper reads the messages' JSON
	 */
	public KombuMessageFormat(JsonMapper mapper) {
		this.reader = new JsonSerializer(mapper);
	}

	/**
	 * The message kombu would send for an envelope published to a queue through the default exchange, as a map for
	 * the transport to write.
	 * @param queue the queue, as the application names it
	 * @param envelope the envelope
	 * @param deliveryTag a fresh delivery tag
	 * @return the message's fields, in kombu's order
	 */
	public Map<String, @Nullable Object> message(String queue, Envelope envelope, String deliveryTag) {
		Map<String, Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", "");
		deliveryInfo.put("routing_key", queue);
		Map<String, @Nullable Object> properties = new LinkedHashMap<>();
		properties.put("correlation_id", envelope.correlationId());
		properties.put("reply_to", envelope.replyTo());
		properties.put("delivery_mode", 2);
		properties.put("delivery_info", deliveryInfo);
		properties.put("priority", envelope.priority());
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", deliveryTag);
		if (envelope.expiration() != null) {
			properties.put("expiration", envelope.expiration());
		}
		Map<String, @Nullable Object> message = new LinkedHashMap<>();
		message.put("body", Base64.getEncoder().encodeToString(envelope.body()));
		message.put("content-encoding", envelope.contentEncoding());
		message.put("content-type", envelope.contentType());
		message.put("headers", envelope.headers());
		message.put("properties", properties);
		return message;
	}

	/**
	 * Parse a message's JSON into maps and lists. The JSON a message nearly always is (ASCII, no fractions) is read
	 * without Jackson's per-call set-up ({@link JsonSerializer}).
	 * @param json the JSON
	 * @return the parsed value: a map if it is a message at all
	 * @throws SerializationException if it is not JSON
	 */
	public @Nullable Object parse(byte[] json) {
		return this.reader.deserialize(json);
	}

	/**
	 * The envelope of a parsed message.
	 * @param parsed what {@link #parse(byte[])} read
	 * @return the envelope
	 * @throws SerializationException if it is not a kombu message: not an object, or without a string {@code body}
	 */
	public Envelope envelope(@Nullable Object parsed) {
		if (!(parsed instanceof Map<?, ?> root)) {
			throw new SerializationException("not a JSON object");
		}
		Map<?, ?> properties = objectAt(root, "properties");
		if (!(root.get("body") instanceof String body)) {
			throw new SerializationException("it has no string 'body'");
		}
		byte[] bytes = "base64".equals(text(properties, "body_encoding")) ? Base64.getMimeDecoder().decode(body)
				: body.getBytes(StandardCharsets.UTF_8);
		@SuppressWarnings("unchecked")
		Map<String, Object> headers = (root.get("headers") instanceof Map<?, ?> map) ? (Map<String, Object>) map
				: Map.of();
		Object priority = properties.get("priority");
		return new Envelope(bytes, String.valueOf(text(root, "content-type")),
				String.valueOf(text(root, "content-encoding")), headers, text(properties, "correlation_id"),
				text(properties, "reply_to"), (priority instanceof Number number) ? number.intValue() : 0,
				text(properties, "expiration"));
	}

	/**
	 * What can be read of a message {@link #envelope(Object)} refused, when its task id can be read: a JSON object
	 * whose {@code properties.correlation_id} or {@code headers.id} is a string. The worker stores FAILURE for that
	 * id, so that its sender does not wait forever.
	 * @param parsed what {@link #parse(byte[])} read
	 * @return an envelope with the message's headers, its id and an empty body; {@code null} if no id can be read
	 */
	public @Nullable Envelope salvage(@Nullable Object parsed) {
		if (!(parsed instanceof Map<?, ?> root)) {
			return null;
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		objectAt(root, "headers").forEach((name, value) -> headers.put(String.valueOf(name), value));
		Map<?, ?> properties = objectAt(root, "properties");
		String id = (properties.get("correlation_id") instanceof String correlationId && !correlationId.isEmpty())
				? correlationId : null;
		if (id == null && headers.get("id") instanceof String headerId && !headerId.isEmpty()) {
			id = headerId;
		}
		if (id == null) {
			return null;
		}
		return new Envelope(new byte[0], String.valueOf(text(root, "content-type")),
				String.valueOf(text(root, "content-encoding")), headers, id,
				(properties.get("reply_to") instanceof String replyTo) ? replyTo : null, 0, null);
	}

	/**
	 * A field of a parsed message that is an object, or an empty one.
	 * @param map the message or one of its objects
	 * @param field the field
	 * @return the object
	 */
	public static Map<?, ?> objectAt(Map<?, ?> map, String field) {
		return (map.get(field) instanceof Map<?, ?> object) ? object : Map.of();
	}

	private static @Nullable String text(Map<?, ?> map, String field) {
		Object value = map.get(field);
		return (value != null) ? value.toString() : null;
	}

}
