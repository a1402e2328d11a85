package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializationException;

/**
 * Envelopes to and from the JSON messages kombu's Redis transport keeps in its lists: the body in base64,
 * content type and encoding, the headers, and the properties with the delivery tag, delivery info and priority.
 * The transport never looks inside the body.
 */
final class KombuMessageCodec {

	private final JsonMapper mapper;

	private final JsonSerializer reader;

	KombuMessageCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.reader = new JsonSerializer(mapper);
	}

	/**
	 * The message kombu would push for an envelope published to a queue (through the default exchange).
	 * @param queue the queue
	 * @param envelope the envelope
	 * @param deliveryTag a fresh delivery tag
	 * @return the JSON text
	 */
	String write(String queue, Envelope envelope, String deliveryTag) {
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
		return this.mapper.writeValueAsString(message);
	}

	/**
	 * Read a message taken from a list.
	 * @param message the JSON text
	 * @return the envelope
	 * @throws BrokerException if it is not a kombu message
	 */
	Envelope read(String message) {
		return receive(message).envelope();
	}

	/**
	 * Read a message taken from a list, and whether kombu marked it as put back after a delivery
	 * ({@code headers.redelivered} or {@code properties.delivery_info.redelivered}), parsing it once.
	 * @param message the JSON text
	 * @return the envelope and its redelivered flag
	 * @throws BrokerException if it is not a kombu message
	 */
	Received receive(String message) {
		if (!(parseUntyped(message) instanceof Map<?, ?> root)) {
			throw new BrokerException("not a kombu message: not a JSON object: " + abbreviate(message));
		}
		Map<?, ?> properties = objectAt(root, "properties");
		if (!(root.get("body") instanceof String body)) {
			throw new BrokerException("not a kombu message: it has no string 'body'");
		}
		byte[] bytes = "base64".equals(text(properties, "body_encoding")) ? Base64.getMimeDecoder().decode(body)
				: body.getBytes(StandardCharsets.UTF_8);
		@SuppressWarnings("unchecked")
		Map<String, Object> headers = (root.get("headers") instanceof Map<?, ?> map) ? (Map<String, Object>) map
				: Map.of();
		Object priority = properties.get("priority");
		Envelope envelope = new Envelope(bytes, text(root, "content-type"), text(root, "content-encoding"), headers,
				text(properties, "correlation_id"), text(properties, "reply_to"),
				(priority instanceof Number number) ? number.intValue() : 0, text(properties, "expiration"));
		boolean redelivered = Boolean.TRUE.equals(headers.get("redelivered"))
				|| Boolean.TRUE.equals(objectAt(properties, "delivery_info").get("redelivered"));
		return new Received(envelope, redelivered);
	}

	/**
	 * What can be read of a message {@link #receive(String)} refused, when its task id can be read: a JSON
	 * object whose {@code properties.correlation_id} or {@code headers.id} is a string. The worker stores
	 * FAILURE for that id, so that its sender does not wait forever.
	 * @param message the JSON text
	 * @return an envelope with the message's headers, its id and an empty body; {@code null} if no id can be read
	 */
	@Nullable Envelope salvage(String message) {
		Object parsed;
		try {
			parsed = parseUntyped(message);
		}
		catch (RuntimeException ex) {
			return null;
		}
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
	 * The JSON a message nearly always is (ASCII, no fractions) is read without Jackson's per-call set-up;
	 * the rest by Jackson (JFR: two full Jackson tree reads per message were most of the consumer thread).
	 */
	private @Nullable Object parseUntyped(String json) {
		try {
			return this.reader.deserialize(json.getBytes(StandardCharsets.UTF_8));
		}
		catch (SerializationException ex) {
			throw new BrokerException("not a kombu message (" + ex.getMessage() + "): " + abbreviate(json), ex);
		}
	}

	private static Map<?, ?> objectAt(Map<?, ?> map, String field) {
		return (map.get(field) instanceof Map<?, ?> object) ? object : Map.of();
	}

	private static @Nullable String text(Map<?, ?> map, String field) {
		Object value = map.get(field);
		return (value != null) ? value.toString() : null;
	}

	/**
	 * The message marked as put back, as kombu's restore marks it ({@code headers.redelivered} and
	 * {@code properties.delivery_info.redelivered}); nothing else changes.
	 * @param message the JSON text
	 * @return the marked JSON text
	 */
	String markRedelivered(String message) {
		JsonNode root = parse(message);
		if (root instanceof ObjectNode object) {
			if (object.get("headers") instanceof ObjectNode headers) {
				headers.put("redelivered", true);
			}
			if (object.path("properties").get("delivery_info") instanceof ObjectNode info) {
				info.put("redelivered", true);
			}
			return this.mapper.writeValueAsString(object);
		}
		return message;
	}

	/**
	 * The message in one of kombu's {@code unacked} entries, {@code [envelope, exchange, routing key]}.
	 * @param entry the entry's JSON text
	 * @return the message's JSON text
	 */
	String readUnacked(String entry) {
		JsonNode array = parse(entry);
		if (!array.isArray() || array.size() != 3) {
			throw new BrokerException("not a kombu unacked entry: " + abbreviate(entry));
		}
		return this.mapper.writeValueAsString(array.get(0));
	}

	/**
	 * Parse a JSON text.
	 * @param json the text
	 * @return the tree
	 */
	JsonNode parse(String json) {
		try {
			return this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new BrokerException("not a kombu message (" + ex.getOriginalMessage() + "): " + abbreviate(json), ex);
		}
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	private static String abbreviate(String text) {
		return (text.length() > 120) ? text.substring(0, 117) + "..." : text;
	}

	/**
	 * A message as read from a list.
	 *
	 * @param envelope the message
	 * @param redelivered whether kombu marked it as put back after a delivery
	 */
	record Received(Envelope envelope, boolean redelivered) {
	}

}
