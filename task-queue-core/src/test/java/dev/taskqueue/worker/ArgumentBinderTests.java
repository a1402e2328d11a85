package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskContext;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.serialization.JsonSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Binding a message's args and kwargs to a task method's parameters, converted with a Jackson 3 mapper, and
 * the errors that name the parameter. The test sources are compiled with {@code -parameters}, as the
 * build asks of applications, so kwargs bind by name.
 */
class ArgumentBinderTests {

	private final ArgumentBinder binder = new ArgumentBinder(JsonMapper.builder().build());

	private final TaskContext context = new WorkerTaskContext(new TaskMessage("id-1", "tests.task", null, null, null,
			null, null, null, 0, null, null, null, null, null, null, false, null, null, null, null), Map.of(), "celery",
			false, null, null, Clock.systemUTC());

	@Test
	void bindsPositionalArguments() {
		assertThat(bind("add", List.of(2, 3), Map.of())).containsExactly(2, 3);
	}

	@Test
	void bindsKeywordArgumentsByName() {
		assertThat(bind("add", List.of(), kwargs("y", 3, "x", 2))).containsExactly(2, 3);
	}

	@Test
	void bindsPositionalThenKeywordArguments() {
		assertThat(bind("greet", List.of("Ada"), kwargs("greeting", "Hello"))).containsExactly("Ada", "Hello");
	}

	@Test
	void convertsPrimitivesAndBoxes() {
		Object[] values = bind("primitives", List.of(1, 2, 1.5, true, 3, 4, 2.5), Map.of());
		assertThat(values).containsExactly(1, 2L, 1.5, true, (short) 3, (byte) 4, 2.5f);
		assertThat(bind("boxes", List.of(1, 2, 1.5, false), Map.of())).containsExactly(1, 2L, 1.5, false);
		assertThat(bind("boxes", Arrays.asList(null, null, null, null), Map.of())).containsExactly(null, null, null, null);
	}

	@Test
	void convertsAnIntegerToADouble() {
		assertThat(bind("primitives", List.of(1, 2, 3, true, 3, 4, 5), Map.of())[2]).isEqualTo(3.0);
	}

	@Test
	void convertsStrings() {
		assertThat(bind("text", List.of("ünïcødé"), Map.of())).containsExactly("ünïcødé");
	}

	@Test
	void convertsBigDecimalFromKombusStringAndFromANumber() {
		assertThat(bind("decimal", List.of("1.10"), Map.of())).containsExactly(new BigDecimal("1.10"));
		assertThat(bind("decimal", List.of(2.5), Map.of())).containsExactly(new BigDecimal("2.5"));
		assertThat(bind("decimal", List.of(7), Map.of())).containsExactly(new BigDecimal("7"));
	}

	@Test
	void convertsBigIntegerBeyond64Bits() {
		BigInteger big = new BigInteger("1180591620717411303424");
		assertThat(bind("bigInteger", List.of(big), Map.of())).containsExactly(big);
		assertThat(bind("bigInteger", List.of(5), Map.of())).containsExactly(BigInteger.valueOf(5));
	}

	@Test
	void convertsUuidAndEnum() {
		assertThat(bind("identity", List.of("12345678-1234-5678-1234-567812345678", "GREEN"), Map.of()))
			.containsExactly(UUID.fromString("12345678-1234-5678-1234-567812345678"), Color.GREEN);
	}

	@Test
	void convertsJavaTime() {
		Object[] values = bind("times",
				List.of("2030-01-02", "2030-01-02T03:04:05Z", "2030-01-02T03:04:05+02:00", "PT1M30S", "2030-01-02T03:04:05.600000"),
				Map.of());
		assertThat(values[0]).isEqualTo(LocalDate.of(2030, 1, 2));
		assertThat(values[1]).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
		// the same instant; the mapper may move it to UTC (ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
		assertThat(((OffsetDateTime) values[2]).toInstant()).isEqualTo(Instant.parse("2030-01-02T01:04:05Z"));
		assertThat(values[3]).isEqualTo(Duration.ofSeconds(90));
		// kombu writes a naive datetime like this
		assertThat(values[4]).isEqualTo(LocalDateTime.of(2030, 1, 2, 3, 4, 5, 600_000_000));
	}

	@Test
	void convertsKombusDateTimeFormsOfADate() {
		// kombu 5.2 writes a date as a midnight datetime
		assertThat(bind("day", List.of("2030-01-02T00:00:00"), Map.of())).containsExactly(LocalDate.of(2030, 1, 2));
	}

	@Test
	void convertsRecordsAndGenerics() {
		Map<String, Object> point = kwargs("x", 1, "y", 2);
		Object[] values = bind("shapes", List.of(point, List.of(point, kwargs("x", 3, "y", 4)),
				kwargs("a", List.of(1, 2), "b", List.of())), Map.of());
		assertThat(values[0]).isEqualTo(new Point(1, 2));
		assertThat(values[1]).isEqualTo(List.of(new Point(1, 2), new Point(3, 4)));
		assertThat(values[2]).isEqualTo(Map.of("a", List.of(1, 2), "b", List.of()));
		// the element types are converted, not left as plain maps
		assertThat(((List<?>) values[1]).get(0)).isInstanceOf(Point.class);
	}

	@Test
	void convertsANestedRecord() {
		Object[] values = bind("line", List.of(kwargs("name", "l1", "points", List.of(kwargs("x", 1, "y", 2)))), Map.of());
		assertThat(values).containsExactly(new Line("l1", List.of(new Point(1, 2))));
	}

	@Test
	void convertsOptional() {
		assertThat(bind("maybe", List.of("x"), Map.of())).containsExactly(Optional.of("x"));
		assertThat(bind("maybe", Arrays.asList((Object) null), Map.of())).containsExactly(Optional.empty());
	}

	@Test
	void injectsTheTaskContextWhereverItIsDeclared() {
		assertThat(bind("withContext", List.of(5), Map.of())).containsExactly(5, this.context);
		assertThat(bind("contextFirst", List.of(), kwargs("value", "v"))).containsExactly(this.context, "v");
	}

	@Test
	void theContextIsNotAPositionalArgument() {
		assertRefused("withContext", List.of(5, 6), Map.of(), "takes 1 positional argument but 2 were given");
	}

	@Test
	void passesAnyJsonValueToObject() {
		Map<String, Object> value = kwargs("a", List.of(1, "x"));
		assertThat(bind("echo", List.of(value), Map.of())).containsExactly(value);
	}

	@Test
	void missingArgumentIsNamed() {
		assertRefused("add", List.of(2), Map.of(), "missing argument 'y' (int)");
	}

	@Test
	void extraPositionalArgumentIsRefused() {
		assertRefused("add", List.of(1, 2, 3), Map.of(), "takes 2 positional arguments but 3 were given");
	}

	@Test
	void unexpectedKeywordArgumentIsNamed() {
		assertRefused("add", List.of(1, 2), kwargs("z", 3), "unexpected keyword argument [z]");
		assertRefused("add", List.of(), kwargs("x", 1, "y", 2, "z", 3), "unexpected keyword argument [z]");
	}

	@Test
	void argumentGivenPositionallyAndByNameIsNamed() {
		assertRefused("add", List.of(1), kwargs("x", 2, "y", 3), "multiple values for argument 'x'");
	}

	@Test
	void nullForAPrimitiveIsNamed() {
		assertRefused("add", Arrays.asList(1, null), Map.of(), "argument 'y' (int) must not be null");
	}

	@Test
	void wrongTypeIsNamed() {
		assertRefused("add", List.of("abc", 2), Map.of(), "argument 'x' must be int, got String 'abc'");
		assertRefused("identity", List.of("not-a-uuid", "GREEN"), Map.of(), "argument 'id' must be java.util.UUID");
		assertRefused("identity", List.of("12345678-1234-5678-1234-567812345678", "PURPLE"), Map.of(),
				"argument 'color' must be");
		assertRefused("shapes", List.of(kwargs("x", "one", "y", 2), List.of(), Map.of()), Map.of(),
				"argument 'point' must be");
		assertRefused("shapes", List.of(kwargs("x", 1, "y", 2), List.of(7), Map.of()), Map.of(),
				"argument 'points' must be java.util.List<dev.taskqueue.worker.ArgumentBinderTests$Point>");
	}

	@Test
	void fractionIsNotTruncatedIntoAnInteger() {
		assertRefused("add", List.of(2.5, 1), Map.of(), "argument 'x' must be int, got Double 2.5");
		assertRefused("boxes", List.of(1, 2.5, 1.0, true), Map.of(), "argument 'l' must be java.lang.Long");
		assertRefused("bigInteger", List.of(2.5), Map.of(), "argument 'value' must be java.math.BigInteger");
	}

	@Test
	void typesPythonWouldNotMixAreNotCoerced() {
		assertRefused("add", List.of("5", 1), Map.of(), "argument 'x' must be int, got String '5'");
		assertRefused("boxes", List.of(1, 2L, 1.0, 1), Map.of(), "argument 'b' must be java.lang.Boolean, got Integer 1");
		assertRefused("text", List.of(5), Map.of(), "argument 'value' must be java.lang.String, got Integer 5");
		assertRefused("text", List.of(true), Map.of(), "argument 'value' must be java.lang.String, got Boolean true");
	}

	@Test
	void integerOverflowIsRefused() {
		assertRefused("add", List.of(1L << 40, 1), Map.of(), "argument 'x' must be int");
	}

	@Test
	void longValuesAreAbbreviated() {
		assertThatExceptionOfType(ArgumentBindingException.class)
			.isThrownBy(() -> bind("add", List.of("x".repeat(500), 1), Map.of()))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(200).contains("..."));
	}

	@Test
	void bindsKombu53TypedValuesToTheirTypes() {
		OffsetDateTime aware = OffsetDateTime.parse("2026-12-02T10:11:12.123456+02:00");
		LocalDateTime naive = LocalDateTime.parse("2026-12-02T10:11:12.123456");
		UUID id = UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f");
		byte[] bytes = { (byte) 0xff, 0, 1 };
		Object[] values = bind("kombu53", List.of(aware, aware, aware, naive, LocalDate.of(2026, 12, 2),
				LocalTime.of(10, 11, 12), new BigDecimal("1.10"), id, bytes), Map.of());
		// the offset kept, where Jackson's reading of the text would have moved it to UTC
		assertThat(values).containsExactly(aware, aware.toInstant(), aware.toZonedDateTime(), naive,
				LocalDate.of(2026, 12, 2), LocalTime.of(10, 11, 12), new BigDecimal("1.10"), id, bytes);
	}

	@Test
	@SuppressWarnings("unchecked")
	void kombu53TypedValuesResentAsPlainTextBindToTheSameTypes() {
		// what a retry under taskqueue.json.typed-values=plain re-sends of values that arrived typed
		OffsetDateTime aware = OffsetDateTime.parse("2026-12-02T10:11:12.123456+02:00");
		LocalDateTime naive = LocalDateTime.parse("2026-12-02T10:11:12.123456");
		UUID id = UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f");
		byte[] bytes = { (byte) 0xff, 0, 1 };
		JsonSerializer plain = new JsonSerializer(JsonMapper.builder().build());
		List<Object> resent = (List<Object>) plain.deserialize(plain.serialize(List.of(aware, aware, aware, naive,
				LocalDate.of(2026, 12, 2), LocalTime.of(10, 11, 12, 500_000), new BigDecimal("1.10"), id, bytes)));
		assertThat(resent).allMatch((value) -> value instanceof String);
		Object[] values = bind("kombu53", resent, Map.of());
		assertThat(((OffsetDateTime) values[0]).toInstant()).isEqualTo(aware.toInstant());
		assertThat(values[1]).isEqualTo(aware.toInstant());
		assertThat(((java.time.ZonedDateTime) values[2]).toInstant()).isEqualTo(aware.toInstant());
		assertThat(Arrays.asList(values).subList(3, 9)).containsExactly(naive, LocalDate.of(2026, 12, 2),
				LocalTime.of(10, 11, 12, 500_000), new BigDecimal("1.10"), id, bytes);
	}

	@Test
	void givesKombu53TypedValuesAsThemselvesWhereTheTypeIsObject() {
		LocalDate day = LocalDate.of(2026, 12, 2);
		assertThat(bind("echo", List.of(day), Map.of())).containsExactly(day);
		Map<String, Object> nested = kwargs("days", List.of(day), "n", 1);
		assertThat(bind("untyped", List.of(nested, List.of(nested)), Map.of()))
			.containsExactly(nested, List.of(nested));
	}

	@Test
	void givesAStringParameterTheTextAKombu52PeerWouldHaveSent() {
		assertThat(bind("text", List.of(new BigDecimal("1.10")), Map.of())).containsExactly("1.10");
		assertThat(bind("text", List.of(LocalDateTime.parse("2026-12-02T10:11:12")), Map.of()))
			.containsExactly("2026-12-02T10:11:12");
	}

	@Test
	void convertsKombu53TypedValuesInsideTypedContainers() {
		OffsetDateTime aware = OffsetDateTime.parse("2026-12-02T10:11:12Z");
		assertThat(bind("instants", List.of(List.of(aware)), Map.of())).containsExactly(List.of(aware.toInstant()));
		assertRefused("day", List.of(UUID.randomUUID()), Map.of(), "argument 'date' must be java.time.LocalDate");
	}

	private Object[] bind(String name, List<Object> args, Map<String, Object> kwargs) {
		return this.binder.bind(method(name), args, kwargs, this.context);
	}

	private void assertRefused(String name, List<Object> args, Map<String, Object> kwargs, String message) {
		assertThatExceptionOfType(ArgumentBindingException.class).isThrownBy(() -> bind(name, args, kwargs))
			.withMessageContaining(message);
	}

	private static Method method(String name) {
		return Arrays.stream(Tasks.class.getDeclaredMethods())
			.filter((method) -> method.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private static Map<String, Object> kwargs(Object... entries) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < entries.length; i += 2) {
			map.put((String) entries[i], entries[i + 1]);
		}
		return map;
	}

	enum Color {

		RED, GREEN

	}

	record Point(int x, int y) {
	}

	record Line(String name, List<Point> points) {
	}

	@SuppressWarnings("unused")
	static class Tasks {

		int add(int x, int y) {
			return x + y;
		}

		String greet(String name, String greeting) {
			return greeting + ", " + name + "!";
		}

		void primitives(int i, long l, double d, boolean b, short s, byte by, float f) {
		}

		void boxes(Integer i, Long l, Double d, Boolean b) {
		}

		void text(String value) {
		}

		void decimal(BigDecimal value) {
		}

		void bigInteger(BigInteger value) {
		}

		void identity(UUID id, Color color) {
		}

		void times(LocalDate date, Instant instant, OffsetDateTime offset, Duration duration, LocalDateTime naive) {
		}

		void day(LocalDate date) {
		}

		void shapes(Point point, List<Point> points, Map<String, List<Integer>> groups) {
		}

		void line(Line line) {
		}

		void maybe(Optional<String> value) {
		}

		void withContext(int value, TaskContext context) {
		}

		void contextFirst(TaskContext context, String value) {
		}

		Object echo(Object value) {
			return value;
		}

		void kombu53(OffsetDateTime aware, Instant instant, java.time.ZonedDateTime zoned, LocalDateTime naive,
				LocalDate date, LocalTime time, BigDecimal decimal, UUID id, byte[] bytes) {
		}

		void untyped(Map<String, Object> map, List<Map<String, Object>> maps) {
		}

		void instants(List<Instant> instants) {
		}

	}

}
