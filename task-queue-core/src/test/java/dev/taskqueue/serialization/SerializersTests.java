package dev.taskqueue.serialization;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * msgpack and YAML as Celery writes them, and round trips of the types a task takes.
 */
class SerializersTests {

	private final JsonMapper mapper = JsonSerializer.celeryCompatible(JsonMapper.builder().build());

	private final MsgpackSerializer msgpack = new MsgpackSerializer(this.mapper, 64);

	private final YamlSerializer yaml = new YamlSerializer(this.mapper, 64, 1 << 20);

	record Point(int x, int y) {
	}

	enum Color {

		RED

	}

	@Test
	void msgpackWritesWhatPythonsMsgpackWrites() {
		// msgpack.packb([[2, 3], {}, {"callbacks": None}], use_bin_type=True).hex()
		List<Object> body = Arrays.asList(List.of(2, 3), Map.of(), singleton("callbacks", null));
		assertThat(HexFormat.of().formatHex(this.msgpack.serialize(body))).isEqualTo("939202038081a963616c6c6261636b73c0");
		// every integer width, negative and positive, a float, str, bin, bool and nil
		List<Object> values = Arrays.asList(0, 127, 128, 255, 256, 65535, 65536, 4294967295L, 4294967296L, -1, -32, -33,
				-128, -129, -32768, -32769, -2147483648L, -2147483649L, 1.5, "é", new byte[] { 1, 2 }, true, false, null,
				new BigInteger("18446744073709551615"));
		assertThat(HexFormat.of().formatHex(this.msgpack.serialize(values)))
			.isEqualTo("dc0019007fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000ffe0d0dfd080d1ff7fd18000"
					+ "d2ffff7fffd280000000d3ffffffff7fffffffcb3ff8000000000000a2c3a9c4020102c3c2c0cfffffffffffffffff");
	}

	@Test
	void msgpackRoundTripsPlainValues() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("ints", List.of(1, -1, 300, -70000, Long.MAX_VALUE, Long.MIN_VALUE));
		value.put("big", new BigInteger("18446744073709551615"));
		value.put("text", "naïve ✓ " + "x".repeat(300));
		value.put("bytes", new byte[] { 0, (byte) 0xff });
		value.put("nested", List.of(Map.of("a", List.of())));
		value.put("nothing", null);
		value.put("many", java.util.stream.IntStream.range(0, 70000).boxed().toList());
		@SuppressWarnings("unchecked")
		Map<String, Object> back = (Map<String, Object>) this.msgpack.deserialize(this.msgpack.serialize(value));
		assertThat(back).usingRecursiveComparison().isEqualTo(value);
	}

	@Test
	void msgpackWritesJavaValuesAsTheirPlainForm() {
		UUID id = UUID.fromString("12345678-1234-5678-1234-567812345678");
		Object back = this.msgpack.deserialize(this.msgpack.serialize(List.of(new Point(1, 2), new BigDecimal("1.10"), id,
				Color.RED, LocalDate.of(2030, 1, 2))));
		assertThat(back).isEqualTo(List.of(Map.of("x", 1, "y", 2), "1.10", id.toString(), "RED", "2030-01-02"));
	}

	@Test
	void msgpackRefusesWhatPythonsRefusesAndWhatIsBroken() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.msgpack.serialize(List.of(BigInteger.ONE.shiftLeft(64))))
			.withMessageContaining("more than 64 bits");
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.msgpack.deserialize(HexFormat.of().parseHex("92")))
			.withMessageContaining("ends before");
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.msgpack.deserialize(HexFormat.of().parseHex("d40100")))
			.withMessageContaining("extension types are refused");
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.msgpack.deserialize(HexFormat.of().parseHex("0101")))
			.withMessageContaining("after the value");
		byte[] deep = new byte[100];
		Arrays.fill(deep, (byte) 0x91);
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.msgpack.deserialize(deep))
			.withMessageContaining("deeper than 64");
	}

	@Test
	void yamlReadsWhatPythonsSafeDumpWrites() {
		// yaml.safe_dump([[2, 3], {'y': 3}, {'chain': None}, datetime(2030,1,2,3,4,5), b'\x00\x01'])
		String python = "- - 2\n  - 3\n- y: 3\n- chain: null\n- 2030-01-02 03:04:05\n- !!binary |\n  AAE=\n";
		Object value = this.yaml.deserialize(python.getBytes(StandardCharsets.UTF_8));
		assertThat(value).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly(List.of(2, 3), Map.of("y", 3), singleton("chain", null), "2030-01-02T03:04:05Z",
					new byte[] { 0, 1 });
	}

	@Test
	void yamlRoundTripsJavaValues() {
		Object back = this.yaml.deserialize(this.yaml.serialize(Arrays.asList(new Point(3, 4), new BigDecimal("2.50"), null,
				true, "text: with colon", Instant.parse("2030-01-02T03:04:05Z"))));
		assertThat(back).isEqualTo(Arrays.asList(Map.of("x", 3, "y", 4), "2.50", null, true, "text: with colon",
				"2030-01-02T03:04:05Z"));
	}

	@Test
	void yamlNeverBuildsArbitraryClasses() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.yaml.deserialize("!!java.io.File [\"/etc/passwd\"]".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("Not valid YAML");
	}

	@ParameterizedTest
	@ValueSource(strings = { "zlib", "bzip2", "lzma" })
	void compressionRoundTrips(String name) {
		Compressor compressor = new Compressors(List.of(new ZlibCompressor(), new Bzip2Compressor(), new XzCompressor()))
			.get(name);
		byte[] body = "[[2, 3], {}, {}]".repeat(100).getBytes(StandardCharsets.UTF_8);
		byte[] compressed = compressor.compress(body);
		assertThat(compressed.length).isLessThan(body.length);
		assertThat(compressor.decompress(compressed, body.length)).isEqualTo(body);
	}

	@Test
	void zlibReadsWhatPythonsZlibCompressWritesAndARealGzipStream() throws Exception {
		// zlib.compress(b'[[2, 3], {}, {}]').hex()
		byte[] python = HexFormat.of().parseHex("789c8b8e36d251308ed551a8ae05e15800245b04aa");
		assertThat(new String(new ZlibCompressor().decompress(python, 1000), StandardCharsets.UTF_8))
			.isEqualTo("[[2, 3], {}, {}]");
		java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
		try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzip)) {
			out.write("hello".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(new ZlibCompressor().decompress(gzip.toByteArray(), 100)).asString().isEqualTo("hello");
	}

	@Test
	void decompressionStopsAtTheSizeLimit() {
		byte[] bomb = new ZlibCompressor().compress(new byte[1_000_000]);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new ZlibCompressor().decompress(bomb, 1000))
			.withMessageContaining("expands beyond the maximum message size of 1000 bytes");
	}

	@Test
	void anUnknownCompressionIsNamedWithWhatIsKnown() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new Compressors(List.of(new ZlibCompressor())).get("application/x-brotli"))
			.withMessageContaining("'application/x-brotli'")
			.withMessageContaining("zlib");
	}

	private static Map<String, Object> singleton(String key, Object value) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put(key, value);
		return map;
	}

}
