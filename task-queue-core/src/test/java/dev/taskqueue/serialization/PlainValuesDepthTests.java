package dev.taskqueue.serialization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlainValues#depth} counts the nesting of every kind of container, the decoders' classes and others.
 */
class PlainValuesDepthTests {

	@Test
	void scalarsHaveNoDepth() {
		assertThat(PlainValues.depth(null, 64)).isZero();
		assertThat(PlainValues.depth("text", 64)).isZero();
		assertThat(PlainValues.depth(1.5f, 64)).isZero();
		assertThat(PlainValues.depth(new java.math.BigDecimal("1.1"), 64)).isZero();
	}

	@Test
	void countsDecodedJson() {
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", null);
		embed.put("chain", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("task", "t")))));
		List<Object> body = new ArrayList<>(Arrays.asList(new ArrayList<>(List.of(1, 2L, "x", true, 2.5)),
				new LinkedHashMap<>(), embed));
		assertThat(PlainValues.depth(body, 64)).isEqualTo(4);
		assertThat(PlainValues.depth(new ArrayList<>(), 64)).isEqualTo(1);
		assertThat(PlainValues.depth(new LinkedHashMap<>(), 64)).isEqualTo(1);
	}

	@Test
	void countsOtherContainers() {
		assertThat(PlainValues.depth(new LinkedList<>(List.of(List.of(1))), 64)).isEqualTo(2);
		assertThat(PlainValues.depth(Set.of(new TreeMap<>(Map.of("a", new Object[] { 1 }))), 64)).isEqualTo(3);
		assertThat(PlainValues.depth(new Object[] { new Object[] {} }, 64)).isEqualTo(2);
		assertThat(PlainValues.depth(List.of(List.of(), Map.of("k", List.of(List.of()))), 64)).isEqualTo(4);
	}

	@Test
	void stopsPastTheLimit() {
		Object value = "leaf";
		for (int i = 0; i < 100; i++) {
			value = new ArrayList<>(List.of(value));
		}
		assertThat(PlainValues.depth(value, 64)).isGreaterThan(64);
		assertThat(PlainValues.depth(value, 100)).isEqualTo(100);
		Object map = "leaf";
		for (int i = 0; i < 10; i++) {
			map = new LinkedHashMap<>(Map.of("k", map));
		}
		assertThat(PlainValues.depth(map, 5)).isGreaterThan(5);
		assertThat(PlainValues.depth(map, 64)).isEqualTo(10);
	}

}
