package dev.taskqueue.rabbitmq;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.Envelope;

/**
 * Maps envelopes to AMQP 0-9-1 message properties and back, with the field types py-amqp writes, so that a
 * Celery worker reads our headers as its own: strings as {@code S}, ints as {@code I} (or {@code l} beyond
 * 32 bits), booleans as {@code t}, {@code None} as void, lists as arrays, dicts as tables.
 */
final class AmqpEnvelopeConverter {

	/** Celery's {@code delivery_mode} for tasks: persistent. */
	static final int PERSISTENT = 2;

	/** Celery's {@code delivery_mode} for results and events: transient. */
	static final int TRANSIENT = 1;

	private AmqpEnvelopeConverter() {
	}

	/**
	 * The properties to publish an envelope with.
	 * @param envelope the envelope
	 * @param deliveryMode {@link #PERSISTENT} or {@link #TRANSIENT}
	 * @param withExpiration whether the envelope's expiration becomes the message's time to live
	 * @return the properties
	 */
	static AMQP.BasicProperties toProperties(Envelope envelope, int deliveryMode, boolean withExpiration) {
		return new AMQP.BasicProperties.Builder().contentType(envelope.contentType())
			.contentEncoding(envelope.contentEncoding())
			.headers(toTable(envelope.headers()))
			.deliveryMode(deliveryMode)
			.priority(envelope.priority())
			.correlationId(envelope.correlationId())
			.replyTo(envelope.replyTo())
			.expiration(withExpiration ? envelope.expiration() : null)
			.build();
	}

	/**
	 * The envelope of a received message.
	 * @param properties its properties
	 * @param body its body
	 * @return the envelope
	 */
	static Envelope toEnvelope(AMQP.BasicProperties properties, byte[] body) {
		Map<String, @Nullable Object> headers = (properties.getHeaders() != null) ? fromTable(properties.getHeaders())
				: new LinkedHashMap<>();
		Integer priority = properties.getPriority();
		return new Envelope(body, properties.getContentType(), properties.getContentEncoding(), headers,
				properties.getCorrelationId(), properties.getReplyTo(), (priority != null) ? priority : 0,
				properties.getExpiration());
	}

	/**
	 * Convert headers to an AMQP field table.
	 * @param headers the headers, {@code null} values for Python's {@code None}
	 * @return the table, values typed as py-amqp types them
	 */
	static Map<String, @Nullable Object> toTable(Map<String, ? extends @Nullable Object> headers) {
		Map<String, @Nullable Object> table = new LinkedHashMap<>();
		headers.forEach((name, value) -> table.put(name, toField(value)));
		return table;
	}

	/**
	 * Convert an AMQP field table to plain values: long strings to strings, in lists and tables too.
	 * @param table the table
	 * @return the headers
	 */
	static Map<String, @Nullable Object> fromTable(Map<String, ? extends @Nullable Object> table) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		table.forEach((name, value) -> headers.put(name, fromField(value)));
		return headers;
	}

	private static @Nullable Object toField(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Double || value instanceof BigDecimal || value instanceof Date
				|| value instanceof byte[]) {
			return value;
		}
		if (value instanceof Long || value instanceof Short || value instanceof Byte) {
			long number = ((Number) value).longValue();
			// py-amqp writes an int that fits in 32 bits as 'I': do the same, whatever Jackson decoded it as
			return (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) ? (Object) (int) number : (Object) number;
		}
		if (value instanceof BigInteger big) {
			return (big.bitLength() < 64) ? toField(big.longValue()) : new BigDecimal(big);
		}
		if (value instanceof Float number) {
			return number.doubleValue();
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> array = new ArrayList<>(list.size());
			list.forEach((item) -> array.add(toField(item)));
			return array;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> table = new LinkedHashMap<>();
			map.forEach((key, item) -> table.put(String.valueOf(key), toField(item)));
			return table;
		}
		return value.toString();
	}

	private static @Nullable Object fromField(@Nullable Object value) {
		if (value instanceof LongString text) {
			return text.toString();
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> items = new ArrayList<>(list.size());
			list.forEach((item) -> items.add(fromField(item)));
			return items;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> table = new LinkedHashMap<>();
			map.forEach((key, item) -> table.put(String.valueOf(key), fromField(item)));
			return table;
		}
		return value;
	}

}
