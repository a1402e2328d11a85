package dev.taskqueue.worker;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.serialization.SerializationException;

/**
 * Turns a task's return value into plain values (maps, lists, strings, numbers, booleans, null), the form
 * every result backend stores, using the application's Jackson mapper: a record becomes a map, a
 * {@code LocalDate} its ISO text.
 */
class ResultValues {

	private final JsonMapper mapper;

	/**
	 * Create a converter.
	 * @param mapper the application's mapper
	 */
	ResultValues(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The plain form of a value.
	 * @param value a task's return value
	 * @return the plain value
	 * @throws SerializationException if the value cannot be written
	 */
	@Nullable Object toPlain(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
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
