package dev.taskqueue.serialization;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's default serializer, {@code application/json}, written with the application's Jackson 3 mapper.
 * It reads and writes the bare {@code NaN} and {@code Infinity} tokens of Python's JSON.
 */
public class JsonSerializer implements Serializer {

	private final JsonMapper mapper;

	/**
	 * Create a serializer from the application's mapper.
	 * @param mapper the mapper; a copy reading and writing Python's non-numeric tokens is used
	 */
	public JsonSerializer(JsonMapper mapper) {
		// Python's json writes NaN and Infinity as bare tokens; quoted, they would reach Python as strings
		this.mapper = mapper.rebuild()
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
			.disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
			.build();
	}

	@Override
	public String name() {
		return "json";
	}

	@Override
	public String contentType() {
		return "application/json";
	}

	@Override
	public String contentEncoding() {
		return "utf-8";
	}

	@Override
	public byte[] serialize(Object value) {
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Cannot write " + value.getClass().getName() + " as JSON: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public Object deserialize(byte[] bytes) {
		try {
			return this.mapper.readValue(bytes, Object.class);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
