package dev.taskqueue.serialization;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's default serializer, {@code application/json}, written with the application's Jackson 3 mapper
 * made {@link #celeryCompatible(JsonMapper) Celery-compatible}.
 */
public class JsonSerializer implements Serializer {

	// made once: a reader and a writer look up their (de)serializers once, not per message
	private final ObjectReader reader;

	private final ObjectWriter writer;

	/** Whether the mapper reads plain JSON as {@link PlainJsonReader} does, so that it may read it instead. */
	private final boolean plainReader;

	/**
	 * Create a serializer from the application's mapper that writes dates, times, decimals, UUIDs and bytes as
	 * plain values, as kombu 5.2 does.
	 * @param mapper the mapper; a {@link #celeryCompatible(JsonMapper) Celery-compatible} copy is used
	 */
	public JsonSerializer(JsonMapper mapper) {
		this(mapper, TypedValues.PLAIN);
	}

	/**
	 * Create a serializer from the application's mapper. Whatever {@code typedValues} says, kombu 5.3's typed
	 * objects are read as values ({@link KombuTypes}).
	 * @param mapper the mapper; a {@link #celeryCompatible(JsonMapper, TypedValues) Celery-compatible} copy is
	 * used
	 * @param typedValues how dates, times, decimals, UUIDs and bytes are written
	 */
	public JsonSerializer(JsonMapper mapper, TypedValues typedValues) {
		this.reader = celeryCompatible(mapper).readerFor(Object.class);
		this.writer = celeryCompatible(mapper, typedValues).writer();
		this.plainReader = readsAsJackson(this.reader);
	}

	/**
	 * Whether {@link PlainJsonReader} gives what this mapper's untyped reading gives, on a document with
	 * each kind of value it reads: false when the application's mapper reads integers as {@code BigInteger}
	 * or {@code long}, arrays as Java arrays, or plain values by its own deserializer.
	 */
	private static boolean readsAsJackson(ObjectReader reader) {
		byte[] probe = "[1, -2147483649, 4294967296, \"s\", true, false, null, [], {}, {\"k\": [\"v\"]}]"
			.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		try {
			return sameValues(PlainJsonReader.read(probe), reader.readValue(probe));
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private static boolean sameValues(@Nullable Object plain, @Nullable Object jackson) {
		if (plain == null || jackson == null) {
			return plain == jackson;
		}
		if (plain.getClass() != jackson.getClass()) {
			return false;
		}
		if (plain instanceof java.util.List<?> list) {
			java.util.List<?> other = (java.util.List<?>) jackson;
			if (list.size() != other.size()) {
				return false;
			}
			for (int i = 0; i < list.size(); i++) {
				if (!sameValues(list.get(i), other.get(i))) {
					return false;
				}
			}
			return true;
		}
		if (plain instanceof java.util.Map<?, ?> map) {
			java.util.Map<?, ?> other = (java.util.Map<?, ?>) jackson;
			return map.size() == other.size() && map.entrySet().stream()
				.allMatch((entry) -> other.containsKey(entry.getKey()) && sameValues(entry.getValue(), other.get(entry.getKey())));
		}
		return plain.equals(jackson);
	}

	/**
	 * A copy of a mapper that writes and reads JSON as kombu 5.2 does: a {@code BigDecimal} is written as a
	 * string ({@code "1.10"}, keeping its scale, as kombu writes {@code Decimal}), and {@code NaN} and
	 * {@code Infinity} are read and written as bare tokens, as Python's json does (quoted, they would reach
	 * Python as strings).
	 * @param mapper the application's mapper
	 * @return the compatible copy
	 */
	public static JsonMapper celeryCompatible(JsonMapper mapper) {
		return mapper.rebuild()
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
			.disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
			.withConfigOverride(BigDecimal.class,
					(override) -> override.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)))
			.build();
	}

	/**
	 * A {@link #celeryCompatible(JsonMapper) Celery-compatible} copy of a mapper that, for
	 * {@link TypedValues#KOMBU53}, also writes dates and times, {@code BigDecimal}, {@code UUID} and
	 * {@code byte[]} as kombu 5.3's typed objects.
	 * @param mapper the application's mapper
	 * @param typedValues how those values are written
	 * @return the compatible copy
	 */
	public static JsonMapper celeryCompatible(JsonMapper mapper, TypedValues typedValues) {
		JsonMapper compatible = celeryCompatible(mapper);
		return (typedValues == TypedValues.KOMBU53) ? compatible.rebuild().addModule(KombuTypes.kombu53Module()).build()
				: compatible;
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
	public byte[] serialize(@Nullable Object value) {
		try {
			return this.writer.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Cannot write " + value.getClass().getName() + " as JSON: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * kombu 5.3's typed objects are read as values ({@link KombuTypes}).
	 * @throws SerializationException also for a typed object of a type kombu does not know
	 */
	@Override
	public @Nullable Object deserialize(byte[] bytes) {
		if (this.plainReader) {
			Object value = PlainJsonReader.read(bytes);
			if (value != PlainJsonReader.NOT_PLAIN) {
				return value;
			}
		}
		Object value;
		try {
			value = this.reader.readValue(bytes);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		// what the plain reader left to Jackson: its typed objects are decoded here
		return KombuTypes.decode(value);
	}

}
