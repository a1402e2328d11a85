package dev.taskqueue.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * kombu 5.3's typed JSON values, read and written as {@code kombu/utils/json.py} does, against the vectors in
 * {@code celery-wire/kombu53/values.txt} (one Java value and the exact JSON kombu 5.3 writes for it a line).
 */
class KombuTypesTests {

	/** Reads the vectors as JSON only, no typed values: what is on the wire. */
	private static final JsonMapper RAW = JsonMapper.builder().build();

	static Stream<Arguments> vectors() throws IOException {
		try (InputStream in = KombuTypesTests.class.getResourceAsStream("/celery-wire/kombu53/values.txt")) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return text.lines().map((line) -> {
				String[] parts = line.split("\t");
				return Arguments.of(parts[0], javaValue(parts[0]), parts[1]);
			}).toList().stream();
		}
	}

	private static Object javaValue(String name) {
		String[] parts = name.split(" ");
		return switch (parts[0]) {
			case "OffsetDateTime" -> OffsetDateTime.parse(parts[1]);
			case "LocalDateTime" -> LocalDateTime.parse(parts[1]);
			case "LocalDate" -> LocalDate.parse(parts[1]);
			case "LocalTime" -> LocalTime.parse(parts[1]);
			case "OffsetTime" -> OffsetTime.parse(parts[1]);
			case "BigDecimal" -> new BigDecimal(parts[1]);
			case "UUID" -> UUID.fromString(parts[1]);
			case "bytes" -> HexFormat.of().parseHex(parts[1]);
			default -> throw new IllegalArgumentException(name);
		};
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void readsWhatKombu53WritesAsTheJavaValue(String name, Object value, String json) {
		Map<?, ?> typed = RAW.readValue(json, Map.class);
		assertThat(KombuTypes.isTyped(typed)).isTrue();
		assertThat(KombuTypes.valueOf(typed)).isEqualTo(value);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void writesTheJavaValueAsKombu53Does(String name, Object value, String json) {
		assertThat(KombuTypes.encode(value)).isEqualTo(RAW.readValue(json, Map.class));
		byte[] written = new JsonSerializer(JsonMapper.builder().build(), TypedValues.KOMBU53).serialize(value);
		assertThat(RAW.readValue(written, Object.class)).isEqualTo(RAW.readValue(json, Object.class));
	}

	@Test
	void writesKeysAndValuesInKombusOrderAndForm() {
		JsonSerializer serializer = new JsonSerializer(JsonMapper.builder().build(), TypedValues.KOMBU53);
		assertThat(new String(serializer.serialize(List.of(OffsetDateTime.of(2026, 12, 2, 10, 11, 12, 123456789,
				ZoneOffset.UTC), UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f"))), StandardCharsets.UTF_8))
			.isEqualTo("[{\"__type__\":\"datetime\",\"__value__\":\"2026-12-02T10:11:12.123456+00:00\"},"
					+ "{\"__type__\":\"uuid\","
					+ "\"__value__\":{\"hex\":\"6f1c2a4e8b3d4c5f9a7e1d2b3c4d5e6f\",\"version\":4}}]");
	}

	@Test
	void writesAnInstantAndAZonedDateTimeAsAwareDateTimes() {
		assertThat(KombuTypes.encode(java.time.Instant.parse("2026-12-02T10:11:12Z")))
			.containsEntry(KombuTypes.VALUE, "2026-12-02T10:11:12+00:00");
		assertThat(KombuTypes.encode(java.time.ZonedDateTime.parse("2026-12-02T10:11:12.5+01:00[Europe/Paris]")))
			.containsEntry(KombuTypes.VALUE, "2026-12-02T10:11:12.500000+01:00");
	}

	@Test
	void readsADecimalsNanAndInfinitiesAsDoubles() {
		assertThat(KombuTypes.valueOf(typed("decimal", "NaN"))).isEqualTo(Double.NaN);
		assertThat(KombuTypes.valueOf(typed("decimal", "-Infinity"))).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(KombuTypes.valueOf(typed("decimal", "1E+2"))).isEqualTo(new BigDecimal("1E+2"));
	}

	@Test
	void readsADateWrittenAsADateTimeAsItsDate() {
		// kombu decodes a date with datetime.fromisoformat(o).date()
		assertThat(KombuTypes.valueOf(typed("date", "2026-12-02T10:11:12"))).isEqualTo(LocalDate.of(2026, 12, 2));
	}

	@Test
	void setsTheVersionOfAUuidAsPythonDoes() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("hex", "00000000000000000000000000000000");
		fields.put("version", 4);
		assertThat(KombuTypes.valueOf(typed("uuid", fields)))
			.isEqualTo(UUID.fromString("00000000-0000-4000-8000-000000000000"));
	}

	@Test
	void onlyAnObjectWithExactlyTheTwoKeysIsTyped() {
		Map<String, Object> extra = new LinkedHashMap<>(typed("date", "2026-12-02"));
		extra.put("other", 1);
		Map<String, Object> tree = new LinkedHashMap<>();
		tree.put("extra", extra);
		tree.put("type only", Map.of(KombuTypes.TYPE, "date"));
		assertThat(KombuTypes.decode(tree)).isSameAs(tree);
	}

	@Test
	void decodesTypedObjectsAnywhereInATreeWithoutChangingIt() {
		List<Object> tree = List.of(Map.of("days", List.of(typed("date", "2026-12-02"))), "x");
		assertThat(KombuTypes.decode(tree)).isEqualTo(List.of(Map.of("days", List.of(LocalDate.of(2026, 12, 2))), "x"));
		assertThat(tree.get(0)).isEqualTo(Map.of("days", List.of(typed("date", "2026-12-02"))));
	}

	@Test
	void refusesAnUnknownTypeNamingIt() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> KombuTypes.decode(List.of(typed("complex", "1+2j"))))
			.withMessageContaining("Unsupported type 'complex'");
	}

	@Test
	void refusesAValueItsTypeCannotHave() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> KombuTypes.valueOf(typed("datetime", "yesterday")))
			.withMessageContaining("datetime")
			.withMessageContaining("yesterday");
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> KombuTypes.valueOf(typed("decimal", 5)));
	}

	@Test
	void givesAStringParameterTheTextAPlainPeerSends() {
		assertThat(KombuTypes.plainText(new BigDecimal("1.10"))).isEqualTo("1.10");
		assertThat(KombuTypes.plainText(LocalDateTime.parse("2026-12-02T10:11:12"))).isEqualTo("2026-12-02T10:11:12");
		assertThat(KombuTypes.plainText("café".getBytes(StandardCharsets.UTF_8))).isEqualTo("café");
		assertThat(KombuTypes.plainText(UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f")))
			.isEqualTo("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f");
	}

	static Map<String, Object> typed(String marker, Object value) {
		Map<String, Object> typed = new LinkedHashMap<>();
		typed.put(KombuTypes.TYPE, marker);
		typed.put(KombuTypes.VALUE, value);
		return typed;
	}

}
