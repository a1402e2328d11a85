package dev.taskqueue.serialization;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link JsonSerializer} writes and reads JSON as Celery's kombu does.
 */
class JsonSerializerTests {

	private final JsonSerializer serializer = new JsonSerializer(JsonMapper.builder().build());

	@Test
	void namesCelerysJsonContentType() {
		assertThat(this.serializer.name()).isEqualTo("json");
		assertThat(this.serializer.contentType()).isEqualTo("application/json");
		assertThat(this.serializer.contentEncoding()).isEqualTo("utf-8");
	}

	@Test
	void roundTripsPlainValues() {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("s", "ünïcødé \u0006\u0016 \"quoted\"");
		kwargs.put("i", 42);
		kwargs.put("l", 1L << 40);
		kwargs.put("big", new BigInteger("1180591620717411303424"));
		kwargs.put("d", 1.5);
		kwargs.put("t", true);
		kwargs.put("n", null);
		kwargs.put("list", Arrays.asList(1, "x", null, List.of()));
		kwargs.put("map", Map.of("k", Map.of()));
		List<Object> body = Arrays.asList(List.of(2, 3), kwargs, null);
		assertThat(this.serializer.deserialize(this.serializer.serialize(body))).isEqualTo(body);
	}

	@Test
	void keepsTheOrderOfKeys() {
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", null);
		embed.put("errbacks", null);
		embed.put("chain", null);
		embed.put("chord", null);
		assertThat(new String(this.serializer.serialize(embed), StandardCharsets.UTF_8))
			.isEqualTo("{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}");
		assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) this.serializer.deserialize(this.serializer.serialize(embed))).keySet()))
			.containsExactly("callbacks", "errbacks", "chain", "chord");
	}

	@Test
	void readsWhatKombuWrites() {
		byte[] kombu = "[[2, 3], {\"s\": \"\\u00fcn\\u00efc\\u00f8d\\u00e9\"}, {\"callbacks\": null}]"
			.getBytes(StandardCharsets.UTF_8);
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", null);
		assertThat(this.serializer.deserialize(kombu)).isEqualTo(List.of(List.of(2, 3), Map.of("s", "ünïcødé"), embed));
	}

	@Test
	void readsPythonsBareNonNumericTokens() {
		Object value = this.serializer.deserialize("[NaN, Infinity, -Infinity, 1.5]".getBytes(StandardCharsets.UTF_8));
		assertThat(value).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5));
	}

	@Test
	void writesNonNumericDoublesAsPythonDoes() {
		// Python's json writes (and reads) the bare tokens; a quoted "NaN" would reach Python as a string
		assertThat(new String(this.serializer.serialize(List.of(Double.NaN, Double.POSITIVE_INFINITY,
				Double.NEGATIVE_INFINITY)), StandardCharsets.UTF_8)).isEqualTo("[NaN,Infinity,-Infinity]");
	}

	@Test
	void writesJavaValuesAsKombuWouldReadThem() {
		String json = new String(this.serializer.serialize(List.of(UUID.fromString("12345678-1234-5678-1234-567812345678"),
				Instant.parse("2030-01-02T03:04:05Z"))), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("[\"12345678-1234-5678-1234-567812345678\",\"2030-01-02T03:04:05Z\"]");
	}

	@Test
	void invalidJsonIsASerializationException() {
		for (String invalid : new String[] { "[1, 2", "{\"a\": }", "not json", "", "[1] [2]", "{'a': 1}" }) {
			assertThatExceptionOfType(SerializationException.class)
				.as("deserializing <%s>", invalid)
				.isThrownBy(() -> this.serializer.deserialize(invalid.getBytes(StandardCharsets.UTF_8)))
				.withMessageStartingWith("Not valid JSON");
		}
	}

	@Test
	void bytesThatAreNotUtf8AreASerializationException() {
		byte[] zlib = { 0x78, (byte) 0x9c, 0x01, 0x02 };
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.serializer.deserialize(zlib))
			.withMessageStartingWith("Not valid JSON");
	}

	@Test
	void valueThatCannotBeWrittenIsASerializationException() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.serializer.serialize(List.of(new Unwritable())))
			.withMessageContaining("Cannot write java.util.")
			.withMessageContaining("as JSON");
	}

	static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

}
