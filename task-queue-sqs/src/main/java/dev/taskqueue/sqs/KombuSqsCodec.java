package dev.taskqueue.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializationException;

/**
 * Envelopes to and from the bodies of the SQS messages kombu's SQS transport sends: its JSON message (the body
 * in base64, content type and encoding, the headers, and the properties with the delivery info and priority),
 * itself in base64 ({@code sqs_base64_encoding}, kombu's default). Reading takes a body that is not base64 as the
 * JSON itself, as kombu's {@code _optional_b64_decode} does. The transport never looks inside the task's body.
 */
final class KombuSqsCodec {

	private final JsonMapper mapper;

	private final JsonSerializer reader;

	KombuSqsCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.reader = new JsonSerializer(mapper);
	}

	/**
	 * The SQS message body kombu would send for an envelope published to a queue (through the default exchange).
	 * @param queue the queue, as the application names it
	 * @param envelope the envelope
	 * @return the base64 text
	 */
	String write(String queue, Envelope envelope) {
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
		properties.put("delivery_tag", UUID.randomUUID().toString());
		if (envelope.expiration() != null) {
			properties.put("expiration", envelope.expiration());
		}
		Map<String, @Nullable Object> message = new LinkedHashMap<>();
		message.put("body", Base64.getEncoder().encodeToString(envelope.body()));
		message.put("content-encoding", envelope.contentEncoding());
		message.put("content-type", envelope.contentType());
		message.put("headers", envelope.headers());
		message.put("properties", properties);
		byte[] json = this.mapper.writeValueAsBytes(message);
		return Base64.getEncoder().encodeToString(json);
	}

	/**
	 * Read an SQS message body.
	 * @param body the body, base64 of kombu's JSON or the JSON itself
	 * @return the envelope
	 * @throws BrokerException if it is not a kombu message
	 */
	Envelope read(String body) {
		if (!(parse(body) instanceof Map<?, ?> root)) {
			throw new BrokerException("not a kombu message: not a JSON object: " + abbreviate(body));
		}
		Map<?, ?> properties = objectAt(root, "properties");
		if (!(root.get("body") instanceof String text)) {
			throw new BrokerException("not a kombu message: it has no string 'body'");
		}
		byte[] bytes = "base64".equals(text(properties, "body_encoding")) ? Base64.getMimeDecoder().decode(text)
				: text.getBytes(StandardCharsets.UTF_8);
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
	 * What can be read of a body {@link #read(String)} refused, when its task id can be read: a JSON object whose
	 * {@code properties.correlation_id} or {@code headers.id} is a string. The worker stores FAILURE for that id.
	 * @param body the body
	 * @return an envelope with the message's headers, its id and an empty body; {@code null} if no id can be read
	 */
	@Nullable Envelope salvage(String body) {
		Object parsed;
		try {
			parsed = parse(body);
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

	private @Nullable Object parse(String body) {
		try {
			return this.reader.deserialize(optionalBase64(body));
		}
		catch (SerializationException ex) {
			throw new BrokerException("not a kombu message (" + ex.getMessage() + "): " + abbreviate(body), ex);
		}
	}

	/**
	 * The bytes base64 stands for, if the body is base64 (decoding and encoding again give it back), else the
	 * body itself: kombu's {@code _optional_b64_decode}, for peers with {@code sqs_base64_encoding=False}.
	 */
	static byte[] optionalBase64(String body) {
		try {
			byte[] decoded = Base64.getDecoder().decode(body);
			if (Base64.getEncoder().encodeToString(decoded).equals(body)) {
				return decoded;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: the JSON itself
		}
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private static Map<?, ?> objectAt(Map<?, ?> map, String field) {
		return (map.get(field) instanceof Map<?, ?> object) ? object : Map.of();
	}

	private static @Nullable String text(Map<?, ?> map, String field) {
		Object value = map.get(field);
		return (value != null) ? value.toString() : null;
	}

	private static String abbreviate(String text) {
		return (text.length() > 120) ? text.substring(0, 117) + "..." : text;
	}

}
