package dev.taskqueue.client;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.result.TaskResult;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.serialization.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code AsyncResult.get} reads a result stored as Celery 5.3+ stores it, its values as kombu 5.3's typed
 * objects ({@code celery-wire/kombu53/result_document.json}), as Java values.
 */
class TypedResultTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final OffsetDateTime AWARE = OffsetDateTime.parse("2026-12-02T10:11:12.123456Z");

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryResultBackend backend = new InMemoryResultBackend(Duration.ofHours(1), Clock.systemUTC());

	private final AsyncResultFactory results = new AsyncResultFactory(this.backend, this.mapper);

	@Test
	void readsTypedValuesAsJavaValuesWhereTheTypeIsObject() throws IOException {
		String id = storeVector();
		Map<?, ?> result = (Map<?, ?>) this.results.create(id, Object.class).get(WAIT);
		assertThat(result.get("when")).isEqualTo(AWARE);
		assertThat(result.get("day")).isEqualTo(LocalDate.of(2026, 12, 2));
		assertThat(result.get("amount")).isEqualTo(new BigDecimal("1.10"));
		assertThat(result.get("id")).isEqualTo(UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f"));
		assertThat((byte[]) result.get("raw")).isEqualTo(new byte[] { (byte) 0xff, 0, 1 });
	}

	@Test
	void convertsTypedValuesToTheTypeAsked() throws IOException {
		String id = storeVector();
		Summary summary = this.results.<Summary>create(id, Summary.class).get(WAIT);
		assertThat(summary.when()).isEqualTo(AWARE.toInstant());
		assertThat(summary.day()).isEqualTo(LocalDate.of(2026, 12, 2));
		assertThat(summary.amount()).isEqualTo(new BigDecimal("1.10"));
		assertThat(this.results.<OffsetDateTime>create(store(typed("datetime", "2026-12-02T10:11:12+02:00")),
				OffsetDateTime.class).get(WAIT)).isEqualTo(OffsetDateTime.parse("2026-12-02T10:11:12+02:00"));
		assertThat(this.results.<List<Object>>create(store(List.of(typed("date", "2026-12-02"))), List.class).get(WAIT))
			.containsExactly(LocalDate.of(2026, 12, 2));
	}

	@Test
	void refusesATypeKombuDoesNotKnowNamingIt() {
		String id = store(Map.of("z", typed("complex", "1+2j")));
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.results.create(id, Object.class).get(WAIT))
			.withMessageContaining("Unsupported type 'complex'");
	}

	private String storeVector() throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/celery-wire/kombu53/result_document.json")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> document = this.mapper.readValue(in.readAllBytes(), Map.class);
			TaskResult result = TaskResult.fromDocument(document);
			this.backend.store(result);
			return result.taskId();
		}
	}

	private String store(Object value) {
		String id = UUID.randomUUID().toString();
		this.backend.store(TaskResult.success(id, value, Instant.now()));
		return id;
	}

	private static Map<String, Object> typed(String marker, Object value) {
		Map<String, Object> typed = new LinkedHashMap<>();
		typed.put("__type__", marker);
		typed.put("__value__", value);
		return typed;
	}

	record Summary(Instant when, LocalDate day, BigDecimal amount, UUID id, byte[] raw) {
	}

}
