package dev.taskqueue.serialization;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link JsonSerializer} reads plain bodies without Jackson's set-up, and every document gives what
 * Jackson gives: the same values of the same types, or the same refusal.
 */
class PlainJsonReaderTests {

	private final JsonMapper jackson = JsonSerializer.celeryCompatible(JsonMapper.builder().build());

	private final JsonSerializer serializer = new JsonSerializer(JsonMapper.builder().build());

	@ParameterizedTest
	@ValueSource(strings = { "[[2, 3], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]",
			"[[], {\"a\": true, \"b\": false, \"c\": [1, -1, 0, 2147483647, 2147483648, -2147483648, -2147483649]}]",
			" \t\r\n[ 123456789012345678 , -123456789012345678 ] \n", "\"text\"", "42", "null", "{}", "[]",
			"[{\"k\": {\"k\": [[[]]]}}]",
			"{\"chain\": [1], \"chainx\": 2, \"chai\": 3, \"chord\": {\"callbacks\": []}, \"errbacks\": \"chord\"}" })
	void readsPlainDocumentsAsJacksonDoes(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		assertThat(PlainJsonReader.read(bytes)).isNotSameAs(PlainJsonReader.NOT_PLAIN);
		assertSameAsJackson(bytes);
	}

	@ParameterizedTest
	@ValueSource(strings = { "[1.5]", "[1e3]", "[NaN]", "[-Infinity]", "[1234567890123456789012]", "[\"a\\\"b\"]",
			"[\"ünïcødé\"]", "{\"k\": 1, \"k\": 2}", "[-0]",
			"{\"chain\": null, \"chain\": null}", "{\"a\": null, \"a\": 1}" })
	void leavesOtherDocumentsToJackson(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		assertThat(PlainJsonReader.read(bytes)).isSameAs(PlainJsonReader.NOT_PLAIN);
		assertSameAsJackson(bytes);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "[", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": 1,}", "[tru]", "[nulls]", "[1]x", "[1][2]",
			"{1: 2}", "[-]", "[\"open]", "[0123]", "[01]", "[\"tab\there\"]",
			"{\"chord", "{\"chord\"", "{\"chord\": null" })
	void refusesMalformedDocumentsAsJacksonDoes(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		assertThat(PlainJsonReader.read(bytes)).isSameAs(PlainJsonReader.NOT_PLAIN);
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.serializer.deserialize(bytes));
	}

	@ParameterizedTest
	@ValueSource(strings = { "USE_BIG_INTEGER_FOR_INTS", "USE_LONG_FOR_INTS", "USE_JAVA_ARRAY_FOR_JSON_ARRAY" })
	void readsAsTheApplicationsMapperSaysWhenItReadsOtherwise(String feature) {
		DeserializationFeature enabled = DeserializationFeature.valueOf(feature);
		JsonMapper mapper = JsonMapper.builder().enable(enabled).build();
		byte[] bytes = "[[2, 3], {}]".getBytes(StandardCharsets.UTF_8);
		assertThat(sameTypes(new JsonSerializer(mapper).deserialize(bytes),
				JsonSerializer.celeryCompatible(mapper).readValue(bytes, Object.class))).isTrue();
	}

	@Test
	void readsTheEmbedsKeysAsTheSameStrings() {
		byte[] bytes = "[{\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
			.getBytes(StandardCharsets.UTF_8);
		Map<?, ?> first = (Map<?, ?>) ((List<?>) this.serializer.deserialize(bytes)).get(0);
		Map<?, ?> second = (Map<?, ?>) ((List<?>) this.serializer.deserialize(bytes)).get(0);
		assertThat(first.keySet().toArray()).containsExactly("callbacks", "errbacks", "chain", "chord");
		assertThat(first).isNotSameAs(second);
		assertThat(first.keySet().iterator().next()).isSameAs(second.keySet().iterator().next());
	}

	private void assertSameAsJackson(byte[] bytes) {
		Object expected = this.jackson.readValue(bytes, Object.class);
		Object actual = this.serializer.deserialize(bytes);
		assertThat(actual).isEqualTo(expected);
		assertThat(sameTypes(actual, expected)).isTrue();
	}

	private static boolean sameTypes(Object actual, Object expected) {
		if (actual == null || expected == null) {
			return actual == expected;
		}
		if (actual.getClass() != expected.getClass()) {
			return false;
		}
		if (actual instanceof List<?> list) {
			List<?> other = (List<?>) expected;
			for (int i = 0; i < list.size(); i++) {
				if (!sameTypes(list.get(i), other.get(i))) {
					return false;
				}
			}
		}
		if (actual instanceof Map<?, ?> map) {
			return map.entrySet().stream().allMatch((entry) -> sameTypes(entry.getValue(), ((Map<?, ?>) expected).get(entry.getKey())));
		}
		if (actual instanceof Object[] array) {
			Object[] other = (Object[]) expected;
			for (int i = 0; i < array.length; i++) {
				if (!sameTypes(array[i], other[i])) {
					return false;
				}
			}
		}
		return true;
	}

}
