package dev.taskqueue.internal.protocol;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.protocol.ProtocolException;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;

/**
 * Maps a {@link TaskMessage} to Celery protocol v2 headers and body, and back. What it writes has all 16
 * headers a Celery 5.2 worker reads, in Celery's order, with Celery's types; what it reads is checked, so
 * that a malformed message fails with a {@link ProtocolException} that says what is wrong.
 */
public final class ProtocolV2 {

	private static final Set<String> PROTOCOL_HEADERS = Set.copyOf(ProtocolHeaders.ALL);

	private static final String[] PROTOCOL_HEADER_ARRAY = ProtocolHeaders.ALL.toArray(new String[0]);

	// positions in ProtocolHeaders.ALL
	private static final int LANG = 0;

	private static final int TASK = 1;

	private static final int ID = 2;

	private static final int SHADOW = 3;

	private static final int ETA = 4;

	private static final int EXPIRES = 5;

	private static final int GROUP = 6;

	private static final int GROUP_INDEX = 7;

	private static final int RETRIES = 8;

	private static final int TIMELIMIT = 9;

	private static final int ROOT_ID = 10;

	private static final int PARENT_ID = 11;

	private static final int ARGSREPR = 12;

	private static final int KWARGSREPR = 13;

	private static final int ORIGIN = 14;

	private static final int IGNORE_RESULT = 15;

	/** {@code [None, None]}, the time limits of most messages, shared (read-only). */
	private static final List<@Nullable Number> NO_TIME_LIMIT = Collections.unmodifiableList(Arrays.asList(null, null));

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
		// headers this class wrote (a message that never left the JVM) hold the 16 values in order, then the others
		MessageHeaders written = (headers instanceof MessageHeaders ours) ? ours : null;
		Object[] shared = (written != null) ? written.valuesIfNamed(PROTOCOL_HEADER_ARRAY) : null;
		Object[] values = (shared != null) ? shared : protocolValues(headers);
		Map<String, Object> extra = (shared != null) ? written.after(PROTOCOL_HEADER_ARRAY.length)
				: extraHeaders(headers);
		return new TaskMessage(string(values, ID), string(values, TASK), string(values, LANG), string(values, SHADOW),
				time(values, ETA), time(values, EXPIRES), string(values, GROUP), integer(values, GROUP_INDEX),
				integerOr(values, RETRIES, 0), timeLimit(values), string(values, ROOT_ID), string(values, PARENT_ID),
				string(values, ARGSREPR), string(values, KWARGSREPR), string(values, ORIGIN),
				Boolean.TRUE.equals(values[IGNORE_RESULT]), extra, args(parts.get(0)), kwargs(parts.get(1)),
				(parts.size() > 2) ? embed(parts.get(2)) : null);
	}

	/**
	 * The 16 headers' values, in {@link ProtocolHeaders#ALL}'s order.
	 */
	private static @Nullable Object[] protocolValues(Map<String, Object> headers) {
		Object[] values = new Object[PROTOCOL_HEADER_ARRAY.length];
		for (int i = 0; i < values.length; i++) {
			values[i] = headers.get(PROTOCOL_HEADER_ARRAY[i]);
		}
		return values;
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

	private static List<?> asBody(@Nullable Object body) {
		// Celery 5.2 workers die of a 2-element body; we read it as [args, kwargs] with no workflow.
		if (body instanceof List<?> list && (list.size() == 3 || list.size() == 2)) {
			return list;
		}
		throw new ProtocolException("the body must be [args, kwargs, embed], was " + describe(body));
	}

	@SuppressWarnings("unchecked")
	private static List<Object> args(@Nullable Object args) {
		if (args instanceof List<?> list) {
			return (List<Object>) list;
		}
		throw new ProtocolException("args must be a list, was " + describe(args));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> kwargs(@Nullable Object kwargs) {
		if (kwargs == null) {
			return Map.of();
		}
		if (kwargs instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new ProtocolException("kwargs must be a mapping, was " + describe(kwargs));
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> embed(@Nullable Object embed) {
		if (embed == null) {
			return null;
		}
		if (embed instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new ProtocolException("embed must be a mapping, was " + describe(embed));
	}

	private static @Nullable String string(@Nullable Object[] values, int index) {
		String name = PROTOCOL_HEADER_ARRAY[index];
		Object value = values[index];
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new ProtocolException("header '" + name + "' must be a string, was " + describe(value));
	}

	private static java.time.@Nullable Instant time(@Nullable Object[] values, int index) {
		String name = PROTOCOL_HEADER_ARRAY[index];
		String text = string(values, index);
		try {
			return (text != null) ? IsoTime.parse(text) : null;
		}
		catch (ProtocolException ex) {
			// name the header: "'tomorrow' is not an ISO 8601 time" alone does not say where it came from
			throw new ProtocolException("header '" + name + "' must be an ISO 8601 time, was '" + text + "'");
		}
	}

	private static @Nullable Integer integer(@Nullable Object[] values, int index) {
		String name = PROTOCOL_HEADER_ARRAY[index];
		Object value = values[index];
		if (value == null) {
			return null;
		}
		if (value instanceof Number number && number.doubleValue() == number.intValue()) {
			return number.intValue();
		}
		throw new ProtocolException("header '" + name + "' must be an integer, was " + describe(value));
	}

	private static int integerOr(@Nullable Object[] values, int index, int fallback) {
		Integer value = integer(values, index);
		return (value != null) ? value : fallback;
	}

	private static TimeLimit timeLimit(@Nullable Object[] values) {
		Object value = values[TIMELIMIT];
		if (value == null) {
			return TimeLimit.NONE;
		}
		if (value instanceof List<?> list && list.size() == 2) {
			return new TimeLimit(duration(list.get(0)), duration(list.get(1)));
		}
		throw new ProtocolException("header 'timelimit' must be [hard, soft], was " + describe(value));
	}

	private static @Nullable Duration duration(@Nullable Object seconds) {
		if (seconds == null) {
			return null;
		}
		if (seconds instanceof Number number) {
			return Duration.ofNanos(Math.round(number.doubleValue() * 1_000_000_000d));
		}
		throw new ProtocolException("header 'timelimit' must hold numbers of seconds or null, was " + describe(seconds));
	}

	private static List<@Nullable Number> timeLimit(TimeLimit limit) {
		if (limit.hard() == null && limit.soft() == null) {
			return NO_TIME_LIMIT;
		}
		return Arrays.asList(seconds(limit.hard()), seconds(limit.soft()));
	}

	private static @Nullable Number seconds(@Nullable Duration duration) {
		if (duration == null) {
			return null;
		}
		return (duration.toNanosPart() == 0) ? (Number) duration.getSeconds() : (Number) (duration.toNanos() / 1e9);
	}

	private static String describe(@Nullable Object value) {
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
