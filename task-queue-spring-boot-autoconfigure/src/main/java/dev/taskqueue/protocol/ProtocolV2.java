package dev.taskqueue.protocol;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a {@link TaskMessage} to Celery protocol v2 headers and body, and back. What it writes has all 16
 * headers a Celery 5.2 worker reads, in Celery's order, with Celery's types; what it reads is checked, so
 * that a malformed message fails with a {@link ProtocolException} that says what is wrong.
 */
public final class ProtocolV2 {

	private ProtocolV2() {
	}

	/**
	 * The message's headers: the 16 of protocol v2, then the extra ones.
	 * @param message the message
	 * @return the headers, in order
	 */
	public static Map<String, Object> headers(TaskMessage message) {
		Map<String, Object> headers = new LinkedHashMap<>(24);
		headers.put(ProtocolHeaders.LANG, message.lang());
		headers.put(ProtocolHeaders.TASK, message.task());
		headers.put(ProtocolHeaders.ID, message.id());
		headers.put(ProtocolHeaders.SHADOW, message.shadow());
		headers.put(ProtocolHeaders.ETA, (message.eta() != null) ? IsoTime.format(message.eta()) : null);
		headers.put(ProtocolHeaders.EXPIRES, (message.expires() != null) ? IsoTime.format(message.expires()) : null);
		headers.put(ProtocolHeaders.GROUP, message.group());
		headers.put(ProtocolHeaders.GROUP_INDEX, message.groupIndex());
		headers.put(ProtocolHeaders.RETRIES, message.retries());
		headers.put(ProtocolHeaders.TIMELIMIT, Arrays.asList(seconds(message.timeLimit().hard()),
				seconds(message.timeLimit().soft())));
		headers.put(ProtocolHeaders.ROOT_ID, message.rootId());
		headers.put(ProtocolHeaders.PARENT_ID, message.parentId());
		headers.put(ProtocolHeaders.ARGSREPR, message.argsrepr());
		headers.put(ProtocolHeaders.KWARGSREPR, message.kwargsrepr());
		headers.put(ProtocolHeaders.ORIGIN, message.origin());
		headers.put(ProtocolHeaders.IGNORE_RESULT, message.ignoreResult());
		// the protocol's own headers win, even when null (putIfAbsent would let "eta": "..." replace a null eta)
		message.extraHeaders().forEach((name, value) -> {
			if (!headers.containsKey(name)) {
				headers.put(name, value);
			}
		});
		return headers;
	}

	/**
	 * The message's body: {@code [args, kwargs, embed]}.
	 * @param message the message
	 * @return the body
	 */
	public static List<Object> body(TaskMessage message) {
		return Arrays.asList(message.args(), message.kwargs(), message.embed());
	}

	/**
	 * Read a message from its headers and decoded body.
	 * @param headers the headers
	 * @param body the body as the serializer decoded it
	 * @return the message
	 * @throws ProtocolException if the headers or body do not follow protocol v2
	 */
	public static TaskMessage read(Map<String, Object> headers, Object body) {
		if (!headers.containsKey(ProtocolHeaders.TASK) && body instanceof Map) {
			throw new ProtocolException("protocol v1 messages (a dict body with no 'task' header) are not supported");
		}
		List<?> parts = asBody(body);
		Map<String, Object> extra = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (!ProtocolHeaders.ALL.contains(name)) {
				extra.put(name, value);
			}
		});
		return new TaskMessage(string(headers, ProtocolHeaders.ID), string(headers, ProtocolHeaders.TASK),
				string(headers, ProtocolHeaders.LANG), string(headers, ProtocolHeaders.SHADOW),
				time(headers, ProtocolHeaders.ETA), time(headers, ProtocolHeaders.EXPIRES),
				string(headers, ProtocolHeaders.GROUP), integer(headers, ProtocolHeaders.GROUP_INDEX),
				integerOr(headers, ProtocolHeaders.RETRIES, 0), timeLimit(headers), string(headers, ProtocolHeaders.ROOT_ID),
				string(headers, ProtocolHeaders.PARENT_ID), string(headers, ProtocolHeaders.ARGSREPR),
				string(headers, ProtocolHeaders.KWARGSREPR), string(headers, ProtocolHeaders.ORIGIN),
				Boolean.TRUE.equals(headers.get(ProtocolHeaders.IGNORE_RESULT)), extra, args(parts.get(0)),
				kwargs(parts.get(1)), (parts.size() > 2) ? embed(parts.get(2)) : null);
	}

	private static List<?> asBody(Object body) {
		// Celery 5.2 workers die of a 2-element body; we read it as [args, kwargs] with no workflow.
		if (body instanceof List<?> list && (list.size() == 3 || list.size() == 2)) {
			return list;
		}
		throw new ProtocolException("the body must be [args, kwargs, embed], was " + describe(body));
	}

	@SuppressWarnings("unchecked")
	private static List<Object> args(Object args) {
		if (args instanceof List<?> list) {
			return (List<Object>) list;
		}
		throw new ProtocolException("args must be a list, was " + describe(args));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> kwargs(Object kwargs) {
		if (kwargs == null) {
			return Map.of();
		}
		if (kwargs instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new ProtocolException("kwargs must be a mapping, was " + describe(kwargs));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> embed(Object embed) {
		if (embed == null) {
			return null;
		}
		if (embed instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new ProtocolException("embed must be a mapping, was " + describe(embed));
	}

	private static String string(Map<String, Object> headers, String name) {
		Object value = headers.get(name);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new ProtocolException("header '" + name + "' must be a string, was " + describe(value));
	}

	private static java.time.Instant time(Map<String, Object> headers, String name) {
		String text = string(headers, name);
		try {
			return (text != null) ? IsoTime.parse(text) : null;
		}
		catch (ProtocolException ex) {
			// name the header: "'tomorrow' is not an ISO 8601 time" alone does not say where it came from
			throw new ProtocolException("header '" + name + "' must be an ISO 8601 time, was '" + text + "'");
		}
	}

	private static Integer integer(Map<String, Object> headers, String name) {
		Object value = headers.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Number number && number.doubleValue() == number.intValue()) {
			return number.intValue();
		}
		throw new ProtocolException("header '" + name + "' must be an integer, was " + describe(value));
	}

	private static int integerOr(Map<String, Object> headers, String name, int fallback) {
		Integer value = integer(headers, name);
		return (value != null) ? value : fallback;
	}

	private static TimeLimit timeLimit(Map<String, Object> headers) {
		Object value = headers.get(ProtocolHeaders.TIMELIMIT);
		if (value == null) {
			return TimeLimit.NONE;
		}
		if (value instanceof List<?> list && list.size() == 2) {
			return new TimeLimit(duration(list.get(0)), duration(list.get(1)));
		}
		throw new ProtocolException("header 'timelimit' must be [hard, soft], was " + describe(value));
	}

	private static Duration duration(Object seconds) {
		if (seconds == null) {
			return null;
		}
		if (seconds instanceof Number number) {
			return Duration.ofNanos(Math.round(number.doubleValue() * 1_000_000_000d));
		}
		throw new ProtocolException("header 'timelimit' must hold numbers of seconds or null, was " + describe(seconds));
	}

	private static Number seconds(Duration duration) {
		if (duration == null) {
			return null;
		}
		return (duration.toNanosPart() == 0) ? (Number) duration.getSeconds() : (Number) (duration.toNanos() / 1e9);
	}

	private static String describe(Object value) {
		if (value == null) {
			return "null";
		}
		String text = String.valueOf(value);
		if (text.length() > 80) {
			text = text.substring(0, 77) + "...";
		}
		return value.getClass().getSimpleName() + " " + text;
	}

}
