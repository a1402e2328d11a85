package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.TaskMessage;

/**
 * The workflow a message's embed carries ({@code [args, kwargs, embed]}): its {@code callbacks},
 * {@code errbacks}, {@code chain} and {@code chord}, as Celery's signature dicts. Entries that are not what
 * Celery writes are read as absent: a worker never fails on them.
 */
final class Embed {

	static final String CALLBACKS = "callbacks";

	static final String ERRBACKS = "errbacks";

	static final String CHAIN = "chain";

	static final String CHORD = "chord";

	private Embed() {
	}

	/**
	 * The signatures of a list entry, in order.
	 * @param message the message
	 * @param entry {@link #CALLBACKS}, {@link #ERRBACKS} or {@link #CHAIN}
	 * @return the signature dicts, possibly empty
	 */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> signatures(TaskMessage message, String entry) {
		Object value = message.embed().get(entry);
		if (!(value instanceof List<?> list) || list.isEmpty()) {
			return List.of();
		}
		List<Map<String, Object>> signatures = new ArrayList<>(list.size());
		for (Object item : list) {
			if (item instanceof Map<?, ?> map) {
				signatures.add((Map<String, Object>) map);
			}
		}
		return signatures;
	}

	/**
	 * Whether the message carries a chain entry at all ({@code []} on a chain's last step, as Celery sends it).
	 * @param message the message
	 * @return {@code true} if {@code chain} is a list
	 */
	static boolean hasChain(TaskMessage message) {
		return message.embed().get(CHAIN) instanceof List<?>;
	}

	/**
	 * The chord body of a header task.
	 * @param message the message
	 * @return the body's dict, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	static @Nullable Map<String, Object> chord(TaskMessage message) {
		return (message.embed().get(CHORD) instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
	}

	/**
	 * Whether the message carries any workflow at all: most carry none, and pay nothing for it.
	 * @param message the message
	 * @return {@code true} if any entry is set
	 */
	static boolean any(TaskMessage message) {
		Map<String, @Nullable Object> embed = message.embed();
		if (embed.isEmpty()) {
			return false;
		}
		for (Object value : embed.values()) {
			if (value != null) {
				return true;
			}
		}
		return false;
	}

}
