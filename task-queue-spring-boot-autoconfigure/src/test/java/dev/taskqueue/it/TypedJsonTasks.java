package dev.taskqueue.it;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.taskqueue.Task;

/**
 * The tasks of {@link RedisWorkerApplication} that take and return the values kombu 5.3 writes as typed JSON
 * objects (datetime, date, time, Decimal, UUID, bytes), for {@link CeleryRedisInteropIT}.
 */
@Component
public class TypedJsonTasks {

	/** What {@code it.kombu53.values} returns. */
	public static final OffsetDateTime WHEN = OffsetDateTime.parse("2026-12-02T10:11:12.123456+02:00");

	/** The UUID the tests pass around. */
	public static final UUID ID = UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f");

	/**
	 * Says what each argument was bound as: its class and its value (bytes in hex), joined by {@code |}.
	 */
	@Task("it.kombu53.bind")
	public String bind(OffsetDateTime when, LocalDate day, BigDecimal amount, UUID id, byte[] text, byte[] binary,
			LocalDateTime naive, LocalTime at) {
		return List.of(when, day, amount, id, text, binary, naive, at)
			.stream()
			.map((value) -> value.getClass().getSimpleName() + " "
					+ ((value instanceof byte[] bytes) ? HexFormat.of().formatHex(bytes) : value))
			.collect(Collectors.joining("|"));
	}

	/**
	 * One value of each type kombu 5.3 writes typed.
	 */
	@Task("it.kombu53.values")
	public Map<String, Object> values() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("when", WHEN);
		values.put("naive", WHEN.toLocalDateTime());
		values.put("day", WHEN.toLocalDate());
		values.put("at", LocalTime.of(10, 11, 12));
		values.put("amount", new BigDecimal("1.10"));
		values.put("id", ID);
		values.put("text", "café".getBytes(StandardCharsets.UTF_8));
		values.put("binary", new byte[] { (byte) 0xff, 0, 1 });
		return values;
	}

}
