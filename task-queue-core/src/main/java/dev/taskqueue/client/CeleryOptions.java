package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;
import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.protocol.TimeLimit;

/**
 * A signature's options by Celery's names ({@code apply_async}'s keywords), read into one task message's
 * {@link Publication}. Options Celery has and a message cannot carry ({@code retry_policy}, {@code exchange}...)
 * are ignored.
 */
final class CeleryOptions {

	static final String TASK_ID = "task_id";

	static final String GROUP_ID = "group_id";

	static final String GROUP_INDEX = "group_index";

	static final String PARENT_ID = "parent_id";

	static final String ROOT_ID = "root_id";

	static final String REPLY_TO = "reply_to";

	static final String CHORD = "chord";

	static final String CHAIN = "chain";

	static final String LINK = "link";

	static final String LINK_ERROR = "link_error";

	static final String QUEUE = "queue";

	private CeleryOptions() {
	}

	/**
	 * The publication of one task with these options, over a client's own options.
	 * @param name the task's name
	 * @param args its arguments
	 * @param kwargs its keyword arguments
	 * @param options its options, by Celery's names
	 * @param defaults the client's options, which the signature's win over
	 * @return the publication
	 */
	static Publication publication(String name, List<?> args, Map<String, ?> kwargs, Map<String, ?> options,
			SendOptions defaults) {
		SendOptions send = defaults.mergedWith(sendOptions(options));
		Map<String, @Nullable Object> embed = embed(options);
		return new Publication(string(options, TASK_ID), name, args, kwargs, send, string(options, GROUP_ID),
				integer(options, GROUP_INDEX), string(options, PARENT_ID), string(options, ROOT_ID), embed,
				string(options, REPLY_TO), new TimeLimit(seconds(options.get("time_limit")),
						seconds(options.get("soft_time_limit"))),
				string(options, "shadow"), Boolean.TRUE.equals(options.get("ignore_result")), false);
	}

	/**
	 * The routing, timing, header and serialization options.
	 */
	static SendOptions sendOptions(Map<String, ?> options) {
		Object countdown = options.get("countdown");
		Object eta = options.get("eta");
		Object expires = options.get("expires");
		Object priority = options.get("priority");
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		if (options.get("headers") instanceof Map<?, ?> given) {
			given.forEach((key, value) -> headers.put(String.valueOf(key), value));
		}
		return new SendOptions(string(options, TASK_ID), queue(options.get(QUEUE)),
				(countdown instanceof Number) ? seconds(countdown) : null, instant(eta),
				(expires instanceof Number) ? seconds(expires) : null, instant(expires),
				(priority instanceof Number number) ? number.intValue() : null, headers,
				string(options, "serializer"), string(options, "compression"));
	}

	/**
	 * The message's embed: {@code link} as {@code callbacks}, {@code link_error} as {@code errbacks}, and the
	 * {@code chain} and {@code chord}; {@code null} when it carries none of them.
	 */
	static @Nullable Map<String, @Nullable Object> embed(Map<String, ?> options) {
		List<Object> callbacks = list(options.get(LINK));
		List<Object> errbacks = list(options.get(LINK_ERROR));
		Object chain = options.get(CHAIN);
		Object chord = options.get(CHORD);
		if (callbacks == null && errbacks == null && chain == null && chord == null) {
			return null;
		}
		Map<String, @Nullable Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", callbacks);
		embed.put("errbacks", errbacks);
		embed.put("chain", chain);
		embed.put("chord", chord);
		return embed;
	}

	/**
	 * A list option Celery also takes as one value ({@code link=sig}).
	 */
	static @Nullable List<Object> list(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (value instanceof List<?> list) {
			return new ArrayList<>(list);
		}
		List<Object> one = new ArrayList<>(1);
		one.add(value);
		return one;
	}

	static @Nullable String string(Map<String, ?> options, String name) {
		Object value = options.get(name);
		return (value instanceof String text && !text.isEmpty()) ? text : null;
	}

	static @Nullable Integer integer(Map<String, ?> options, String name) {
		return (options.get(name) instanceof Number number) ? number.intValue() : null;
	}

	private static @Nullable String queue(@Nullable Object queue) {
		if (queue instanceof String name && !name.isEmpty()) {
			return name;
		}
		// a kombu Queue serialized as its fields
		if (queue instanceof Map<?, ?> fields && fields.get("name") instanceof String name) {
			return name;
		}
		return null;
	}

	private static @Nullable Duration seconds(@Nullable Object seconds) {
		if (!(seconds instanceof Number number)) {
			return null;
		}
		return Duration.ofNanos(Math.max(0, Math.round(number.doubleValue() * 1_000_000_000d)));
	}

	private static @Nullable Instant instant(@Nullable Object time) {
		return (time instanceof String text && !text.isEmpty()) ? IsoTime.parse(text) : null;
	}

}
