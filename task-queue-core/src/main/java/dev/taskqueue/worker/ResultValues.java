package dev.taskqueue.worker;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.serialization.SerializationException;
import dev.taskqueue.serialization.TypedValues;

/**
 * Turns a task's return value into plain values (maps, lists, strings, numbers, booleans, null), the form
 * every result backend stores, using the application's Jackson mapper: a record becomes a map, a
 * {@code LocalDate} its ISO text, or kombu 5.3's typed object when the mapper writes typed values
 * ({@link dev.taskqueue.serialization.TypedValues#KOMBU53}).
 */
class ResultValues {

	private final JsonMapper mapper;

	/** Whether a {@code BigDecimal} becomes kombu 5.3's typed object rather than staying a number. */
	private final boolean typedDecimals;

	/**
	 * Create a converter that keeps a {@code BigDecimal} as it is.
	 * @param mapper the application's mapper
	 */
	ResultValues(JsonMapper mapper) {
		this(mapper, TypedValues.PLAIN);
	}

	/**
	 * Create a converter.
	 * @param mapper the application's mapper, made Celery-compatible for {@code typedValues}
	 * @param typedValues how the mapper writes dates, decimals, UUIDs and bytes
	 */
	ResultValues(JsonMapper mapper, TypedValues typedValues) {
		this.mapper = mapper;
		this.typedDecimals = typedValues == TypedValues.KOMBU53;
	}

	/**
	 * The plain form of a value.
	 * @param value a task's return value
	 * @return the plain value
	 * @throws SerializationException if the value cannot be written
	 */
	@Nullable Object toPlain(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Boolean
				|| (value instanceof Number && !(this.typedDecimals && value instanceof BigDecimal))) {
			return value;
		}
		try {
			return this.mapper.convertValue(value, Object.class);
		}
		catch (RuntimeException ex) {
			throw new SerializationException("Cannot store a " + value.getClass().getName() + " as a result: "
					+ ex.getMessage(), ex);
		}
	}

}
