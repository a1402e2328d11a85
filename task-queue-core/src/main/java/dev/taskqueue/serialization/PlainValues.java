package dev.taskqueue.serialization;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns Java values into plain values (maps, lists, strings, numbers, booleans, byte arrays, null) for the
 * serializers that write plain values only (msgpack, YAML), using a Celery-compatible Jackson mapper for
 * everything else (records become maps, dates ISO text, {@code BigDecimal} a string). Also measures nesting.
 */
final class PlainValues {

	private PlainValues() {
	}

	/**
	 * The plain form of a value.
	 * @param value the value
	 * @param mapper the mapper that converts what is not plain already
	 * @return the plain value
	 */
	static @Nullable Object of(@Nullable Object value, JsonMapper mapper) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof byte[]
				|| (value instanceof Number && !(value instanceof BigDecimal))) {
			// a BigDecimal goes through the mapper, which writes it as kombu writes a Decimal: "1.10"
			return value;
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> plain = new LinkedHashMap<>();
			map.forEach((key, item) -> plain.put(of(key, mapper), of(item, mapper)));
			return plain;
		}
		if (value instanceof Collection<?> items) {
			List<Object> plain = new ArrayList<>(items.size());
			items.forEach((item) -> plain.add(of(item, mapper)));
			return plain;
		}
		if (value instanceof Object[] items) {
			return of(List.of(items), mapper);
		}
		return mapper.convertValue(value, Object.class);
	}

	/**
	 * How deeply maps and lists (and arrays) nest in a value: 0 for a scalar, 1 for a flat list.
	 * @param value the value
	 * @param limit stop counting past this depth
	 * @return the depth, or a number above {@code limit} as soon as it is exceeded
	 */
	static int depth(@Nullable Object value, int limit) {
		return depth(value, 0, limit);
	}

	private static int depth(@Nullable Object value, int level, int limit) {
		if (level > limit) {
			return level;
		}
		// exact classes first: decoded JSON is ArrayList, LinkedHashMap and scalars. An instanceof test of an
		// interface the class does not implement scans its supertypes, and one that succeeds writes the class's
		// one-entry supertype cache, which the threads of a worker then fight over (JDK-8180450): this walk was
		// 14 % of a worker thread's time
		Class<?> type = (value != null) ? value.getClass() : null;
		if (type == ArrayList.class) {
			return listDepth((List<?>) value, level, limit);
		}
		if (isScalar(type)) {
			return level;
		}
		if (type != LinkedHashMap.class && value instanceof List<?> items && items instanceof RandomAccess) {
			return listDepth(items, level, limit);
		}
		Iterable<?> children;
		if (type == LinkedHashMap.class || value instanceof Map<?, ?>) {
			Map<?, ?> map = (Map<?, ?>) value;
			if (map.isEmpty()) {
				return level + 1;
			}
			children = map.values();
		}
		else if (value instanceof Collection<?> items) {
			children = items;
		}
		else if (value instanceof Object[] items) {
			children = List.of(items);
		}
		else {
			return level;
		}
		int deepest = level + 1;
		for (Object child : children) {
			if (isContainer(child)) {
				deepest = Math.max(deepest, depth(child, level + 1, limit));
			}
			if (deepest > limit) {
				return deepest;
			}
		}
		return deepest;
	}

	private static int listDepth(List<?> items, int level, int limit) {
		// indexed, no iterator
		int deepest = level + 1;
		for (int i = 0, size = items.size(); i < size && deepest <= limit; i++) {
			Object child = items.get(i);
			if (isContainer(child)) {
				deepest = Math.max(deepest, depth(child, level + 1, limit));
			}
		}
		return deepest;
	}

	private static boolean isContainer(@Nullable Object value) {
		if (value == null) {
			return false;
		}
		Class<?> type = value.getClass();
		if (type == ArrayList.class || type == LinkedHashMap.class) {
			return true;
		}
		if (isScalar(type)) {
			return false;
		}
		return value instanceof Map || value instanceof Collection || value instanceof Object[];
	}

	/**
	 * Whether values of this class (null: the null value) are scalars that decoders produce, told by the
	 * exact class without an instanceof test.
	 */
	private static boolean isScalar(@Nullable Class<?> type) {
		return type == null || type == String.class || type == Integer.class || type == Long.class
				|| type == Boolean.class || type == Double.class;
	}

}
