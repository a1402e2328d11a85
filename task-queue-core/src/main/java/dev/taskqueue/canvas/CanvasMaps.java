package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;
import dev.taskqueue.protocol.IsoTime;

/**
 * Celery's signature dicts, read and written, and the options maps the canvas values share.
 */
final class CanvasMaps {

	static final String TASK = "task";

	static final String ARGS = "args";

	static final String KWARGS = "kwargs";

	static final String OPTIONS = "options";

	static final String SUBTASK_TYPE = "subtask_type";

	static final String IMMUTABLE = "immutable";

	static final String LINK = "link";

	static final String LINK_ERROR = "link_error";

	private CanvasMaps() {
	}

	static Canvas<?> read(Map<String, ?> map) {
		Object type = map.get(SUBTASK_TYPE);
		Map<String, @Nullable Object> kwargs = mapOf(map.get(KWARGS), KWARGS);
		Map<String, @Nullable Object> options = mapOf(map.get(OPTIONS), OPTIONS);
		if ("chain".equals(type)) {
			return Chain.of(readAll(listOf(kwargs.get("tasks"), "tasks")), options,
					Boolean.TRUE.equals(map.get(IMMUTABLE)));
		}
		if ("group".equals(type)) {
			return Group.of(readAll(listOf(kwargs.get("tasks"), "tasks")), options);
		}
		if ("chord".equals(type)) {
			Object header = kwargs.get("header");
			Group group = (header instanceof Map<?, ?> groupMap) ? headerGroup(read(uncheckedMap(groupMap)))
					: Group.of(readAll(listOf(header, "header")), Map.of());
			Object body = kwargs.get("body");
			if (!(body instanceof Map<?, ?> bodyMap)) {
				throw new IllegalArgumentException("a chord's body must be a signature, was " + body);
			}
			return Chord.of(group, read(uncheckedMap(bodyMap)), options);
		}
		Object task = map.get(TASK);
		if (!(task instanceof String name) || name.isEmpty()) {
			throw new IllegalArgumentException("a signature needs a 'task' name, was " + task);
		}
		return Signature.of(name, listOf(map.get(ARGS), ARGS), kwargs, options,
				Boolean.TRUE.equals(map.get(IMMUTABLE)), (type instanceof String text) ? text : null, Object.class);
	}

	/**
	 * A chord's header given as one signature (a group's dict, as Celery may serialize it): the group, or a group
	 * of that one task.
	 */
	private static Group headerGroup(Canvas<?> header) {
		return (header instanceof Group group) ? group : Group.of(List.of(header), Map.of());
	}

	static List<Canvas<?>> readAll(@Nullable List<?> maps) {
		if (maps == null) {
			return List.of();
		}
		List<Canvas<?>> read = new ArrayList<>(maps.size());
		for (Object map : maps) {
			if (!(map instanceof Map<?, ?> signature)) {
				throw new IllegalArgumentException("a signature must be a dict, was " + map);
			}
			read.add(read(uncheckedMap(signature)));
		}
		return read;
	}

	/**
	 * Celery's dict: the six keys in Celery's order.
	 */
	static Map<String, @Nullable Object> dict(String task, List<?> args, Map<String, ?> kwargs,
			Map<String, ?> options, @Nullable String subtaskType, boolean immutable) {
		Map<String, @Nullable Object> dict = new LinkedHashMap<>();
		dict.put(TASK, task);
		dict.put(ARGS, new ArrayList<>(args));
		dict.put(KWARGS, plain(kwargs));
		dict.put(OPTIONS, plain(options));
		dict.put(SUBTASK_TYPE, subtaskType);
		dict.put(IMMUTABLE, immutable);
		return dict;
	}

	static List<Map<String, @Nullable Object>> dicts(List<? extends Canvas<?>> canvases) {
		List<Map<String, @Nullable Object>> dicts = new ArrayList<>(canvases.size());
		canvases.forEach((canvas) -> dicts.add(canvas.toMap()));
		return dicts;
	}

	/**
	 * A map of plain values: canvases in it (a {@code link} list, a {@code chord}) become their dicts.
	 */
	static Map<String, @Nullable Object> plain(Map<String, ?> map) {
		Map<String, @Nullable Object> plain = new LinkedHashMap<>();
		map.forEach((name, value) -> plain.put(name, plainValue(value)));
		return plain;
	}

	private static @Nullable Object plainValue(@Nullable Object value) {
		if (value instanceof Canvas<?> canvas) {
			return canvas.toMap();
		}
		if (value instanceof Map<?, ?> map) {
			return plain(uncheckedMap(map));
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> plain = new ArrayList<>(list.size());
			list.forEach((item) -> plain.add(plainValue(item)));
			return plain;
		}
		return value;
	}

	/**
	 * A canvas that ignores the arguments it is applied with: Celery's {@code set(immutable=True)} (a group's or
	 * a chord's header tasks each).
	 */
	static Canvas<?> immutable(Canvas<?> canvas) {
		if (canvas instanceof Signature<?> signature) {
			return signature.immutable();
		}
		if (canvas instanceof Chain<?> chain) {
			return chain.immutable();
		}
		if (canvas instanceof Group group) {
			return group.immutable();
		}
		Chord<?> chord = (Chord<?>) canvas;
		return Chord.of(chord.header().immutable(), chord.body(), chord.options());
	}

	static Map<String, @Nullable Object> readOnly(@Nullable Map<String, ?> map) {
		return (map == null || map.isEmpty()) ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
	}

	static List<@Nullable Object> readOnly(@Nullable List<?> list) {
		return (list == null || list.isEmpty()) ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
	}

	static Map<String, @Nullable Object> with(Map<String, @Nullable Object> options, String name,
			@Nullable Object value) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(options);
		if (value == null) {
			merged.remove(name);
		}
		else {
			merged.put(name, value);
		}
		return merged;
	}

	/**
	 * The options with one more entry in the list option {@code name} ({@code link}, {@code link_error}).
	 */
	static Map<String, @Nullable Object> appended(Map<String, @Nullable Object> options, String name,
			Canvas<?> canvas) {
		List<@Nullable Object> list = new ArrayList<>();
		Object current = options.get(name);
		if (current instanceof List<?> existing) {
			list.addAll(existing);
		}
		else if (current != null) {
			list.add(current);
		}
		list.add(canvas.toMap());
		return with(options, name, list);
	}

	/**
	 * {@link SendOptions} by Celery's option names, merged over the given options.
	 */
	static Map<String, @Nullable Object> with(Map<String, @Nullable Object> options, SendOptions send) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(options);
		putIfSet(merged, "task_id", send.taskId());
		putIfSet(merged, "queue", send.queue());
		if (send.eta() != null) {
			merged.put("eta", IsoTime.format(send.eta()));
			merged.remove("countdown");
		}
		else if (send.countdown() != null) {
			merged.put("countdown", seconds(send.countdown()));
		}
		if (send.expiresAt() != null) {
			merged.put("expires", IsoTime.format(send.expiresAt()));
		}
		else if (send.expiresIn() != null) {
			merged.put("expires", seconds(send.expiresIn()));
		}
		putIfSet(merged, "priority", send.priority());
		if (!send.headers().isEmpty()) {
			Map<String, @Nullable Object> headers = new LinkedHashMap<>();
			if (merged.get("headers") instanceof Map<?, ?> existing) {
				headers.putAll(uncheckedMap(existing));
			}
			headers.putAll(send.headers());
			merged.put("headers", headers);
		}
		putIfSet(merged, "serializer", send.serializer());
		putIfSet(merged, "compression", send.compression());
		return merged;
	}

	private static Number seconds(java.time.Duration duration) {
		return (duration.toNanosPart() == 0) ? (Number) duration.getSeconds() : (Number) (duration.toNanos() / 1e9);
	}

	private static void putIfSet(Map<String, @Nullable Object> map, String name, @Nullable Object value) {
		if (value != null) {
			map.put(name, value);
		}
	}

	static Map<String, @Nullable Object> mapOf(@Nullable Object value, String what) {
		if (value == null) {
			return Map.of();
		}
		if (value instanceof Map<?, ?> map) {
			return uncheckedMap(map);
		}
		throw new IllegalArgumentException("a signature's " + what + " must be a dict, was " + value);
	}

	static List<@Nullable Object> listOf(@Nullable Object value, String what) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return uncheckedList(list);
		}
		throw new IllegalArgumentException("a signature's " + what + " must be a list, was " + value);
	}

	@SuppressWarnings("unchecked")
	static Map<String, @Nullable Object> uncheckedMap(Map<?, ?> map) {
		return (Map<String, @Nullable Object>) map;
	}

	@SuppressWarnings("unchecked")
	private static List<@Nullable Object> uncheckedList(List<?> list) {
		return (List<@Nullable Object>) list;
	}


}
