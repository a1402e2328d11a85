package dev.taskqueue.serialization;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * kombu 5.3's typed JSON values (Celery 5.3 and later): {@code {"__type__": marker, "__value__": value}} for a
 * {@code datetime}, {@code date}, {@code time}, {@code Decimal}, {@code UUID} or {@code bytes}, as
 * {@code kombu/utils/json.py} writes and reads them.
 * <p>
 * Read, they become {@link OffsetDateTime} (an aware {@code datetime}) or {@link LocalDateTime} (a naive one),
 * {@link LocalDate}, {@link LocalTime} or {@link OffsetTime}, {@link BigDecimal} (a {@code Decimal} NaN or
 * infinity: the {@code Double}), {@link UUID} and {@code byte[]}. As kombu: only an object whose keys are exactly
 * {@code __type__} and {@code __value__} is typed, and an unknown marker is refused.
 */
public final class KombuTypes {

	/** The key naming the type. */
	public static final String TYPE = "__type__";

	/** The key holding the value. */
	public static final String VALUE = "__value__";

	private KombuTypes() {
	}

	/**
	 * Whether a decoded object is one of kombu's typed values: its keys are exactly {@code __type__} and
	 * {@code __value__}.
	 * @param map the object
	 * @return whether it is typed
	 */
	public static boolean isTyped(Map<?, ?> map) {
		return map.size() == 2 && map.containsKey(TYPE) && map.containsKey(VALUE);
	}

	/**
	 * Replace every typed object in a decoded tree (lists, maps, scalars) by its value.
	 * @param tree the tree; not changed
	 * @return the tree with values in place of typed objects; {@code tree} itself if it holds none
	 * @throws SerializationException if a typed object has an unknown marker or a value its type cannot have,
	 * as kombu refuses it
	 */
	public static @Nullable Object decode(@Nullable Object tree) {
		if (tree instanceof Map<?, ?> map) {
			if (isTyped(map)) {
				return valueOf(map);
			}
			Map<Object, @Nullable Object> copy = null;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				Object item = entry.getValue();
				Object decoded = decode(item);
				if (decoded != item && copy == null) {
					copy = new LinkedHashMap<>(map);
				}
				if (copy != null) {
					copy.put(entry.getKey(), decoded);
				}
			}
			return (copy != null) ? copy : map;
		}
		if (tree instanceof List<?> list) {
			List<@Nullable Object> copy = null;
			for (int i = 0; i < list.size(); i++) {
				Object item = list.get(i);
				Object decoded = decode(item);
				if (decoded != item && copy == null) {
					copy = new ArrayList<>(list);
				}
				if (copy != null) {
					copy.set(i, decoded);
				}
			}
			return (copy != null) ? copy : list;
		}
		return tree;
	}

	/**
	 * The value of a typed object, decoded as kombu's {@code object_hook} decodes it.
	 * @param typed an object for which {@link #isTyped(Map)} holds
	 * @return its value
	 * @throws SerializationException if its marker is unknown or its value is not one of its type
	 */
	public static Object valueOf(Map<?, ?> typed) {
		Object marker = typed.get(TYPE);
		Object value = typed.get(VALUE);
		try {
			switch (String.valueOf(marker)) {
				case "datetime":
					return dateTime(text(value));
				case "date":
					return date(text(value));
				case "time":
					return time(text(value));
				case "decimal":
					return decimal(text(value));
				case "uuid":
					return uuid(value);
				case "bytes":
					return text(value).getBytes(StandardCharsets.UTF_8);
				case "base64":
					return Base64.getMimeDecoder().decode(text(value));
				default:
					throw new SerializationException("Unsupported type '" + marker + "' in a typed JSON value ("
							+ TYPE + "): kombu reads datetime, date, time, decimal, uuid, bytes and base64");
			}
		}
		catch (DateTimeException | IllegalArgumentException | ClassCastException ex) {
			throw new SerializationException("Cannot read the typed JSON value {" + TYPE + ": " + marker + ", " + VALUE
					+ ": " + value + "}: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a value is one that {@link #valueOf(Map)} gives.
	 * @param value the value
	 * @return whether it is a decoded typed value
	 */
	public static boolean isDecodedValue(@Nullable Object value) {
		return value instanceof OffsetDateTime || value instanceof LocalDateTime || value instanceof LocalDate
				|| value instanceof LocalTime || value instanceof OffsetTime || value instanceof BigDecimal
				|| value instanceof UUID || value instanceof byte[];
	}

	/**
	 * Whether a tree holds a decoded typed value anywhere.
	 * @param tree the tree
	 * @return whether it does
	 */
	public static boolean holdsDecodedValue(@Nullable Object tree) {
		if (tree instanceof Map<?, ?> map) {
			for (Object item : map.values()) {
				if (holdsDecodedValue(item)) {
					return true;
				}
			}
			return false;
		}
		if (tree instanceof List<?> list) {
			for (Object item : list) {
				if (holdsDecodedValue(item)) {
					return true;
				}
			}
			return false;
		}
		return isDecodedValue(tree);
	}

	/**
	 * The text a Python peer writes for a value when it writes no typed objects (kombu 5.2): the
	 * {@code __value__} of its typed object, or for a UUID its canonical form.
	 * @param value a value for which {@link #isDecodedValue(Object)} holds
	 * @return its text
	 */
	public static String plainText(Object value) {
		if (value instanceof byte[] bytes) {
			String text = utf8(bytes);
			return (text != null) ? text : Base64.getEncoder().encodeToString(bytes);
		}
		if (value instanceof UUID uuid) {
			return uuid.toString();
		}
		Object encoded = encode(value).get(VALUE);
		return String.valueOf(encoded);
	}

	/**
	 * The value for a parameter or result of the given type when the value is already of that type, or needs no
	 * mapper to become it; otherwise {@code unconverted}, for the mapper to convert. A decoded value is given as
	 * itself to a type it is an instance of ({@code Object} included), an aware date-time becomes an
	 * {@link Instant} or a {@link ZonedDateTime}, and a {@code String} receives the text a kombu 5.2 peer would
	 * have sent; a map or list holding decoded values is given as it is to a map or collection of
	 * {@code Object} (which the mapper would turn into text).
	 * @param value the decoded value
	 * @param type the type wanted
	 * @param unconverted what to return when the mapper should convert the value
	 * @return the value, or {@code unconverted}
	 */
	public static @Nullable Object asType(@Nullable Object value, JavaType type, Object unconverted) {
		Class<?> target = type.getRawClass();
		if (isDecodedValue(value)) {
			if (target.isInstance(value)) {
				return value;
			}
			if (value instanceof OffsetDateTime dateTime) {
				if (target == Instant.class) {
					return dateTime.toInstant();
				}
				if (target == ZonedDateTime.class) {
					return dateTime.toZonedDateTime();
				}
			}
			return (target == String.class) ? plainText(value) : unconverted;
		}
		if ((value instanceof Map || value instanceof List) && isUntyped(type) && target.isInstance(value)
				&& holdsDecodedValue(value)) {
			return value;
		}
		return unconverted;
	}

	/**
	 * Whether a type is {@code Object}, or maps and collections of it all the way down (keys aside).
	 */
	private static boolean isUntyped(JavaType type) {
		if (type.getRawClass() == Object.class) {
			return true;
		}
		if (type.isMapLikeType()) {
			Class<?> key = type.getKeyType().getRawClass();
			return (key == String.class || key == Object.class) && isUntyped(type.getContentType());
		}
		return type.isCollectionLikeType() && isUntyped(type.getContentType());
	}

	/**
	 * The typed object kombu 5.3 writes for a value.
	 * @param value a date-time ({@link OffsetDateTime}, {@link ZonedDateTime}, {@link Instant} or
	 * {@link LocalDateTime}), {@link LocalDate}, {@link LocalTime}, {@link OffsetTime}, {@link BigDecimal},
	 * {@link UUID} or {@code byte[]}
	 * @return the typed object, {@code __type__} first
	 * @throws IllegalArgumentException for a value of another type
	 */
	public static Map<String, @Nullable Object> encode(Object value) {
		if (value instanceof OffsetDateTime dateTime) {
			return typed("datetime", isoFormat(dateTime.toLocalDateTime()) + offset(dateTime.getOffset()));
		}
		if (value instanceof ZonedDateTime dateTime) {
			return encode(dateTime.toOffsetDateTime());
		}
		if (value instanceof Instant instant) {
			return encode(instant.atOffset(ZoneOffset.UTC));
		}
		if (value instanceof LocalDateTime dateTime) {
			return typed("datetime", isoFormat(dateTime));
		}
		if (value instanceof LocalDate date) {
			return typed("date", date.toString());
		}
		if (value instanceof LocalTime time) {
			return typed("time", isoFormat(time));
		}
		if (value instanceof OffsetTime time) {
			return typed("time", isoFormat(time.toLocalTime()) + offset(time.getOffset()));
		}
		if (value instanceof BigDecimal decimal) {
			// both are the General Decimal Arithmetic's to-scientific-string: "1.10", "1E+2"
			return typed("decimal", decimal.toString());
		}
		if (value instanceof UUID uuid) {
			Map<String, @Nullable Object> hex = new LinkedHashMap<>();
			hex.put("hex", uuid.toString().replace("-", ""));
			// Python's UUID.version is None unless the variant is RFC 4122's
			hex.put("version", (uuid.variant() == 2) ? uuid.version() : null);
			return typed("uuid", hex);
		}
		if (value instanceof byte[] bytes) {
			String text = utf8(bytes);
			return (text != null) ? typed("bytes", text) : typed("base64", Base64.getEncoder().encodeToString(bytes));
		}
		throw new IllegalArgumentException("kombu has no typed JSON value for a " + value.getClass().getName());
	}

	/**
	 * A Jackson module that writes the values {@link #encode(Object)} takes as kombu 5.3's typed objects, for
	 * {@link TypedValues#KOMBU53}.
	 * @return the module
	 */
	public static JacksonModule kombu53Module() {
		SimpleModule module = new SimpleModule("kombu53-typed-values");
		for (Class<?> type : List.of(OffsetDateTime.class, ZonedDateTime.class, Instant.class, LocalDateTime.class,
				LocalDate.class, LocalTime.class, OffsetTime.class, BigDecimal.class, UUID.class, byte[].class)) {
			register(module, type);
		}
		return module;
	}

	private static <T> void register(SimpleModule module, Class<T> type) {
		module.addSerializer(type, new TypedSerializer<>(type));
	}

	private static Map<String, @Nullable Object> typed(String marker, @Nullable Object value) {
		Map<String, @Nullable Object> typed = new LinkedHashMap<>();
		typed.put(TYPE, marker);
		typed.put(VALUE, value);
		return typed;
	}

	/** Python's {@code datetime.isoformat()}: microseconds, and only when not zero. */
	private static String isoFormat(LocalDateTime dateTime) {
		return dateTime.toLocalDate() + "T" + isoFormat(dateTime.toLocalTime());
	}

	private static String isoFormat(LocalTime time) {
		StringBuilder text = new StringBuilder(15);
		two(text, time.getHour()).append(':');
		two(text, time.getMinute()).append(':');
		two(text, time.getSecond());
		int micros = time.getNano() / 1000;
		if (micros != 0) {
			String digits = Integer.toString(micros);
			text.append('.').append("000000", digits.length(), 6).append(digits);
		}
		return text.toString();
	}

	private static StringBuilder two(StringBuilder text, int value) {
		return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
	}

	/** Python's {@code utcoffset} in ISO form: {@code +00:00} for UTC, never {@code Z}. */
	private static String offset(ZoneOffset offset) {
		return (offset.getTotalSeconds() == 0) ? "+00:00" : offset.getId();
	}

	private static @Nullable String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static String text(@Nullable Object value) {
		if (value instanceof String text) {
			return text;
		}
		throw new IllegalArgumentException("expected a string");
	}

	/** {@code datetime.fromisoformat}: aware or naive, with any one character between date and time. */
	private static Object dateTime(String text) {
		String iso = (text.length() > 10 && text.charAt(10) != 'T') ? text.substring(0, 10) + 'T' + text.substring(11)
				: text;
		return DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
	}

	/** {@code datetime.fromisoformat(o).date()}. */
	private static LocalDate date(String text) {
		if (text.length() == 10) {
			return LocalDate.parse(text);
		}
		Object dateTime = dateTime(text);
		return (dateTime instanceof OffsetDateTime aware) ? aware.toLocalDate()
				: ((LocalDateTime) dateTime).toLocalDate();
	}

	private static Object time(String text) {
		return DateTimeFormatter.ISO_TIME.parseBest(text, OffsetTime::from, LocalTime::from);
	}

	/** {@code Decimal(text)}; its NaN and infinities, which {@code BigDecimal} has not, as the {@code Double}. */
	private static Object decimal(String text) {
		String lower = text.strip().toLowerCase(Locale.ROOT);
		String unsigned = (lower.startsWith("-") || lower.startsWith("+")) ? lower.substring(1) : lower;
		if (unsigned.equals("nan") || unsigned.equals("snan")) {
			return Double.NaN;
		}
		if (unsigned.equals("inf") || unsigned.equals("infinity")) {
			return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		return new BigDecimal(text.strip().replace("_", ""));
	}

	/** {@code uuid.UUID(hex=..., version=...)}: a version sets the RFC 4122 variant and version bits. */
	private static UUID uuid(@Nullable Object value) {
		if (!(value instanceof Map<?, ?> fields)) {
			throw new IllegalArgumentException("expected an object with hex and version");
		}
		String hex = text(fields.get("hex")).replace("urn:", "").replace("uuid:", "");
		hex = hex.replace("{", "").replace("}", "").replace("-", "");
		if (hex.length() != 32) {
			throw new IllegalArgumentException("badly formed hexadecimal UUID string");
		}
		long most = Long.parseUnsignedLong(hex.substring(0, 16), 16);
		long least = Long.parseUnsignedLong(hex.substring(16), 16);
		Object version = fields.get("version");
		if (version != null) {
			if (!(version instanceof Number number) || number.intValue() < 1 || number.intValue() > 8) {
				throw new IllegalArgumentException("illegal version number");
			}
			least = (least & ~(0xc000L << 48)) | (0x8000L << 48);
			most = (most & ~(0xf000L)) | ((long) number.intValue() << 12);
		}
		return new UUID(most, least);
	}

	/** Writes a value as its typed object. */
	private static final class TypedSerializer<T> extends StdSerializer<T> {

		TypedSerializer(Class<T> type) {
			super(type);
		}

		@Override
		public void serialize(T value, JsonGenerator generator, SerializationContext context) {
			Map<String, @Nullable Object> typed = encode(value);
			generator.writeStartObject();
			generator.writeStringProperty(TYPE, (String) typed.get(TYPE));
			generator.writeName(VALUE);
			Object inner = typed.get(VALUE);
			if (inner instanceof Map<?, ?> uuid) {
				generator.writeStartObject();
				generator.writeStringProperty("hex", (String) uuid.get("hex"));
				Object version = uuid.get("version");
				if (version != null) {
					generator.writeNumberProperty("version", (Integer) version);
				}
				else {
					generator.writeNullProperty("version");
				}
				generator.writeEndObject();
			}
			else {
				generator.writeString((String) inner);
			}
			generator.writeEndObject();
		}

	}

}
