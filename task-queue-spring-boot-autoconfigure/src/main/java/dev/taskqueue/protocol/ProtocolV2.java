package dev.taskqueue.protocol;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a {@link TaskMessage} to Celery protocol v2 headers and body, and back. What it writes has all 16
 * headers a Celery 5.2 worker reads, in Celery's order, with Celery's types; what it reads is checked, so
 * that a malformed message fails with a {@link ProtocolException} that says what is wrong.
 */
public final class ProtocolV2 {

	private static final Set<String> PROTOCOL_HEADERS = Set.copyOf(ProtocolHeaders.ALL);

	private static final String[] PROTOCOL_HEADER_ARRAY = ProtocolHeaders.ALL.toArray(new String[0]);

	/** {@code [None, None]}, the time limits of most messages, shared (read-only). */
	private static final List<Number> NO_TIME_LIMIT = Collections.unmodifiableList(Arrays.asList(null, null));

	private ProtocolV2() {
	}

	/**
	 * The message's headers: the 16 of protocol v2, then the extra ones.
	 * @param message the message
	 * @return the headers, in order
	 */
	public static Map<String, Object> headers(TaskMessage message) {
		Object[] values = { message.lang(), message.task(), message.id(), message.shadow(),
				(message.eta() != null) ? IsoTime.format(message.eta()) : null,
				(message.expires() != null) ? IsoTime.format(message.expires()) : null, message.group(),
				message.groupIndex(), message.retries(), timeLimit(message.timeLimit()), message.rootId(),
				message.parentId(), message.argsrepr(), message.kwargsrepr(), message.origin(), message.ignoreResult() };
		// the names are the same for every message: one array for all of them (a message in a broker's memory
		// holds its headers as long as it waits)
		Map<String, Object> headers = MessageHeaders.sharing(PROTOCOL_HEADER_ARRAY, values);
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
		Map<String, Object> extra = extraHeaders(headers);
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

	private static Map<String, Object> extraHeaders(Map<String, Object> headers) {
		Map<String, Object> extra = null;
		for (Map.Entry<String, Object> header : headers.entrySet()) {
			if (!PROTOCOL_HEADERS.contains(header.getKey())) {
				if (extra == null) {
					extra = new MessageHeaders(4);
				}
				extra.put(header.getKey(), header.getValue());
			}
		}
		// the usual message has the 16 headers and nothing else
		return (extra != null) ? extra : Map.of();
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

	private static List<Number> timeLimit(TimeLimit limit) {
		if (limit.hard() == null && limit.soft() == null) {
			return NO_TIME_LIMIT;
		}
		return Arrays.asList(seconds(limit.hard()), seconds(limit.soft()));
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
