package dev.taskqueue.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PythonRepr} writes what Python's {@code repr} writes (expected values taken from CPython 3.11).
 */
class PythonReprTests {

	@Test
	void argsAreATuple() {
		assertThat(PythonRepr.ofArgs(List.of(2, 3))).isEqualTo("(2, 3)");
		assertThat(PythonRepr.ofArgs(List.of(7))).isEqualTo("(7,)");
		assertThat(PythonRepr.ofArgs(List.of())).isEqualTo("()");
		assertThat(PythonRepr.ofArgs(List.of(List.of(2, 4)))).isEqualTo("([2, 4],)");
	}

	@Test
	void kwargsAreADictInTheirOrder() {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("y", 3);
		kwargs.put("n", null);
		kwargs.put("t", true);
		kwargs.put("f", false);
		assertThat(PythonRepr.ofKwargs(kwargs)).isEqualTo("{'y': 3, 'n': None, 't': True, 'f': False}");
		assertThat(PythonRepr.ofKwargs(Map.of())).isEqualTo("{}");
	}

	@Test
	void nestedListsAndMaps() {
		assertThat(PythonRepr.of(Arrays.asList(1, Arrays.asList(2, "x"), null))).isEqualTo("[1, [2, 'x'], None]");
		assertThat(PythonRepr.of(Map.of("a", List.of()))).isEqualTo("{'a': []}");
	}

	@Test
	void integersOfAnySize() {
		assertThat(PythonRepr.of(42L)).isEqualTo("42");
		assertThat(PythonRepr.of(BigInteger.TWO.pow(70))).isEqualTo("1180591620717411303424");
	}

	@Test
	void stringsQuoteAsPythonDoes() {
		assertThat(PythonRepr.of("hello")).isEqualTo("'hello'");
		assertThat(PythonRepr.of("it's")).isEqualTo("\"it's\"");
		assertThat(PythonRepr.of("say \"hi\"")).isEqualTo("'say \"hi\"'");
		assertThat(PythonRepr.of("both ' and \"")).isEqualTo("'both \\' and \"'");
		assertThat(PythonRepr.of("a\\b\nc\t\u0001\u007f\u00a0é")).isEqualTo("'a\\\\b\\nc\\t\\x01\\x7f\\xa0é'");
		assertThat(PythonRepr.of("ünïcødé")).isEqualTo("'ünïcødé'");
	}

	@Test
	void floatsAsPythonWritesThem() {
		assertThat(PythonRepr.of(1e16)).isEqualTo("1e+16");
		assertThat(PythonRepr.of(1e15)).isEqualTo("1000000000000000.0");
		assertThat(PythonRepr.of(0.0001)).isEqualTo("0.0001");
		assertThat(PythonRepr.of(1e-05)).isEqualTo("1e-05");
		assertThat(PythonRepr.of(1.5e-7)).isEqualTo("1.5e-07");
		assertThat(PythonRepr.of(-2.5)).isEqualTo("-2.5");
		assertThat(PythonRepr.of(100.0)).isEqualTo("100.0");
		assertThat(PythonRepr.of(1e7)).isEqualTo("10000000.0");
		assertThat(PythonRepr.of(1e22)).isEqualTo("1e+22");
		assertThat(PythonRepr.of(0.1 + 0.2)).isEqualTo("0.30000000000000004");
		assertThat(PythonRepr.of(123456789.123)).isEqualTo("123456789.123");
		assertThat(PythonRepr.of(Double.NaN)).isEqualTo("nan");
		assertThat(PythonRepr.of(Double.POSITIVE_INFINITY)).isEqualTo("inf");
		assertThat(PythonRepr.of(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
		assertThat(PythonRepr.of(-0.0)).isEqualTo("-0.0");
		assertThat(PythonRepr.of(1.5f)).isEqualTo("1.5");
	}

	@Test
	void valuesJsonWritesAsStringsAreQuoted() {
		assertThat(PythonRepr.of(UUID.fromString("12345678-1234-5678-1234-567812345678")))
			.isEqualTo("'12345678-1234-5678-1234-567812345678'");
		assertThat(PythonRepr.of(TimeUnit.SECONDS)).isEqualTo("'SECONDS'");
		assertThat(PythonRepr.of(Instant.parse("2030-01-02T03:04:05Z"))).isEqualTo("'2030-01-02T03:04:05Z'");
	}

	@Test
	void longReprsAreTruncatedAtCelerysLimit() {
		String repr = PythonRepr.ofArgs(Collections.nCopies(1000, "abcdef"));
		assertThat(repr).hasSize(PythonRepr.MAX_LENGTH).startsWith("('abcdef', 'abcdef'").endsWith("...");
		String kwargs = PythonRepr.ofKwargs(Map.of("text", "x".repeat(5000)));
		assertThat(kwargs).hasSize(PythonRepr.MAX_LENGTH).startsWith("{'text': 'xxx").endsWith("...");
	}

	@Test
	void shortReprsAreNotTruncated() {
		String repr = PythonRepr.ofArgs(List.of("x".repeat(PythonRepr.MAX_LENGTH - 5)));
		assertThat(repr).hasSize(PythonRepr.MAX_LENGTH).endsWith("',)");
	}

}
