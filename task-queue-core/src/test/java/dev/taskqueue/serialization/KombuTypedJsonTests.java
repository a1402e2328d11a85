package dev.taskqueue.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link JsonSerializer} reads task bodies a Celery 5.3+ client writes (kombu's typed values, in
 * {@code celery-wire/kombu53}) into Java values, on the fast reader's path and on Jackson's, and writes typed
 * values only when asked.
 */
class KombuTypedJsonTests {

	private static final OffsetDateTime AWARE = OffsetDateTime.parse("2026-12-02T10:11:12.123456Z");

	private static final UUID ID = UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f");

	private final JsonSerializer serializer = new JsonSerializer(JsonMapper.builder().build());

	@Test
	void readsATaskBodyOfTypedValuesAsJavaValues() throws IOException {
		// non-ASCII ("caf\u00e9") and escapes: read by Jackson
		List<?> body = (List<?>) this.serializer.deserialize(vector("task_body.json"));
		List<?> args = (List<?>) body.get(0);
		assertThat(args.subList(0, 4)).isEqualTo(List.of(AWARE, LocalDate.of(2026, 12, 2), new BigDecimal("1.10"), ID));
		assertThat((byte[]) args.get(4)).isEqualTo("café".getBytes(StandardCharsets.UTF_8));
		Map<?, ?> kwargs = (Map<?, ?>) body.get(1);
		assertThat(kwargs.get("naive")).isEqualTo(LocalDateTime.parse("2026-12-02T10:11:12.123456"));
		assertThat(kwargs.get("at")).isEqualTo(LocalTime.parse("10:11:12.123456"));
		assertThat((byte[]) kwargs.get("binary")).isEqualTo(new byte[] { (byte) 0xff, 0, 1 });
		assertThat(kwargs.get("nan")).isEqualTo(Double.NaN);
		assertThat(kwargs.get("nested")).isEqualTo(Map.of("days",
				List.of(LocalDate.of(2026, 12, 2), OffsetDateTime.parse("2026-12-02T10:11:12+02:00"))));
		// a third key: a plain dict, as kombu reads it
		assertThat(kwargs.get("not_typed"))
			.isEqualTo(Map.of("__type__", "datetime", "__value__", "2026-12-02", "other", 1));
		Map<?, ?> embed = (Map<?, ?>) body.get(2);
		Map<?, ?> callback = (Map<?, ?>) ((List<?>) embed.get("callbacks")).get(0);
		assertThat(callback.get("args")).isEqualTo(List.of(LocalDate.of(2026, 12, 2)));
	}

	@Test
	void theFastReaderReadsTypedValuesItself() throws IOException {
		Object read = PlainJsonReader.read(vector("task_body_ascii.json"));
		assertThat(read).isNotSameAs(PlainJsonReader.NOT_PLAIN);
		List<?> args = (List<?>) ((List<?>) read).get(0);
		assertThat(args.subList(0, 4)).isEqualTo(List.of(AWARE, LocalDate.of(2026, 12, 2), new BigDecimal("1.10"), ID));
		assertThat((byte[]) args.get(4)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
		assertThat(((Map<?, ?>) ((List<?>) read).get(1)).get("naive"))
			.isEqualTo(LocalDateTime.parse("2026-12-02T10:11:12.123456"));
		List<?> viaSerializer = (List<?>) this.serializer.deserialize(vector("task_body_ascii.json"));
		assertThat(viaSerializer.get(1)).isEqualTo(((List<?>) read).get(1));
	}

	@Test
	void refusesATypeKombuDoesNotKnowNamingIt() throws IOException {
		byte[] body = vector("task_body_unknown_type.json");
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.serializer.deserialize(body))
			.withMessageContaining("Unsupported type 'complex'");
		// on Jackson's path too
		byte[] escaped = new String(body, StandardCharsets.UTF_8).replace("1+2j", "1+2j\\u00e9")
			.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.serializer.deserialize(escaped))
			.withMessageContaining("Unsupported type 'complex'");
	}

	@Test
	void writesPlainValuesByDefaultAsKombu52Does() {
		String json = new String(this.serializer.serialize(List.of(new BigDecimal("1.10"), LocalDate.of(2026, 12, 2),
				ID)), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("[\"1.10\",\"2026-12-02\",\"6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f\"]");
	}

	@Test
	void writesKombu53TypedValuesWhenAskedAndReadsThemBack() {
		JsonSerializer kombu53 = new JsonSerializer(JsonMapper.builder().build(), TypedValues.KOMBU53);
		List<Object> args = List.of(AWARE, LocalDate.of(2026, 12, 2), new BigDecimal("1.10"), ID,
				Map.of("nested", List.of(LocalTime.of(10, 11))));
		String json = new String(kombu53.serialize(args), StandardCharsets.UTF_8);
		assertThat(json).contains("{\"__type__\":\"date\",\"__value__\":\"2026-12-02\"}",
				"{\"__type__\":\"decimal\",\"__value__\":\"1.10\"}",
				"{\"__type__\":\"time\",\"__value__\":\"10:11:00\"}");
		assertThat(kombu53.deserialize(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(args);
	}

	private static byte[] vector(String name) throws IOException {
		try (InputStream in = KombuTypedJsonTests.class.getResourceAsStream("/celery-wire/kombu53/" + name)) {
			return in.readAllBytes();
		}
	}

}
