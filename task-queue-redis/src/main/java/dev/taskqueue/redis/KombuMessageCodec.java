package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.serialization.KombuMessageFormat;
import dev.taskqueue.serialization.SerializationException;

/**
 * Envelopes to and from the JSON messages kombu's Redis transport keeps in its lists ({@link KombuMessageFormat}, as
 * text), and what only Redis does with them: the redelivered mark of a message put back, and the entries of
 * kombu's {@code unacked} hash. The transport never looks inside the body.
 */
final class KombuMessageCodec {

	private final JsonMapper mapper;

	private final KombuMessageFormat format;

	KombuMessageCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.format = new KombuMessageFormat(mapper);
	}

	/**
	 * The message kombu would push for an envelope published to a queue (through the default exchange).
	 * @param queue the queue
	 * @param envelope the envelope
	 * @param deliveryTag a fresh delivery tag
	 * @return the JSON text
	 */
	String write(String queue, Envelope envelope, String deliveryTag) {
		return this.mapper.writeValueAsString(this.format.message(queue, envelope, deliveryTag));
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
		Object root = parseUntyped(message);
		Envelope envelope;
		try {
			envelope = this.format.envelope(root);
		}
		catch (SerializationException ex) {
			throw new BrokerException("not a kombu message: " + ex.getMessage() + ": " + abbreviate(message), ex);
		}
		Map<?, ?> properties = KombuMessageFormat.objectAt((Map<?, ?>) root, "properties");
		boolean redelivered = Boolean.TRUE.equals(envelope.headers().get("redelivered"))
				|| Boolean.TRUE.equals(KombuMessageFormat.objectAt(properties, "delivery_info").get("redelivered"));
		return new Received(envelope, redelivered);
	}

	/**
	 * What can be read of a message {@link #receive(String)} refused, when its task id can be read
	 * ({@link KombuMessageFormat#salvage(Object)}).
	 * @param message the JSON text
	 * @return an envelope with the message's headers, its id and an empty body; {@code null} if no id can be read
	 */
	@Nullable Envelope salvage(String message) {
		try {
			return this.format.salvage(parseUntyped(message));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private @Nullable Object parseUntyped(String json) {
		try {
			return this.format.parse(json.getBytes(StandardCharsets.UTF_8));
		}
		catch (SerializationException ex) {
			throw new BrokerException("not a kombu message (" + ex.getMessage() + "): " + abbreviate(json), ex);
		}
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
