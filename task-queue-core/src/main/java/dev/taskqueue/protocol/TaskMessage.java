package dev.taskqueue.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task message in Celery's protocol v2: the headers that describe the task and the body
 * {@code [args, kwargs, embed]}. This is the only message format: clients build it, brokers carry it
 * (serialized in an {@link Envelope}), workers read it.
 *
 * @param id the task id ({@code id}, also the message's correlation id)
 * @param task the task name ({@code task})
 * @param lang the language of the sender ({@code lang}: {@code "py"} for Celery)
 * @param shadow a display name, or {@code null}
 * @param eta the earliest start, or {@code null}
 * @param expires when the task stops being valid, or {@code null}
 * @param group the group id, or {@code null}
 * @param groupIndex the position in a chord's header, or {@code null}
 * @param retries how many times the task was retried before
 * @param timeLimit the hard and soft time limits
 * @param rootId the first task of the workflow
 * @param parentId the task that sent this one, or {@code null}
 * @param argsrepr a Python repr of the args, for display
 * @param kwargsrepr a Python repr of the kwargs, for display
 * @param origin the sending process, {@code gen<pid>@<host>}
 * @param ignoreResult whether the sender wants no result stored
 * @param extraHeaders any other headers (user headers, {@code compression}, {@code redelivered}, ...)
 * @param args the positional arguments, as plain values (lists, maps, strings, numbers, booleans, null)
 * @param kwargs the keyword arguments, as plain values
 * @param embed the callbacks, errbacks, chain and chord of a workflow
 */
public record TaskMessage(String id, String task, @Nullable String lang, @Nullable String shadow,
		@Nullable Instant eta, @Nullable Instant expires, @Nullable String group, @Nullable Integer groupIndex,
		int retries, TimeLimit timeLimit, @Nullable String rootId, @Nullable String parentId,
		@Nullable String argsrepr, @Nullable String kwargsrepr, @Nullable String origin, boolean ignoreResult,
		Map<String, Object> extraHeaders, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs,
		Map<String, @Nullable Object> embed) {

	/**
	 * Check and normalize the message.
	 */
	public TaskMessage {
		if (id == null || id.isEmpty()) {
			throw new ProtocolException("a task message needs an 'id'");
		}
		if (task == null || task.isEmpty()) {
			throw new ProtocolException("a task message needs a 'task' name");
		}
		timeLimit = (timeLimit != null) ? timeLimit : TimeLimit.NONE;
		extraHeaders = (extraHeaders != null) ? extraHeaders : Map.of();
		args = (args != null) ? args : List.of();
		kwargs = (kwargs != null) ? kwargs : Map.of();
		embed = (embed != null) ? embed : EMPTY_EMBED;
	}

	/** Shared by every message of no workflow (most of them), read-only. */
	private static final Map<String, @Nullable Object> EMPTY_EMBED = Collections.unmodifiableMap(emptyEmbed());

	/**
	 * The embed of a task that is part of no workflow: every entry {@code null}.
	 * @return a new embed map
	 */
	public static Map<String, @Nullable Object> emptyEmbed() {
		Map<String, @Nullable Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", null);
		embed.put("errbacks", null);
		embed.put("chain", null);
		embed.put("chord", null);
		return embed;
	}

	/**
	 * The message of this task's next run, as Celery's {@code retry} sends it: the same id, one more retry,
	 * the new eta, and itself as the parent.
	 * @param eta when the next run is due
	 * @return the message to publish
	 */
	public TaskMessage retried(Instant eta) {
		return new TaskMessage(this.id, this.task, this.lang, this.shadow, eta, this.expires, this.group, this.groupIndex,
				this.retries + 1, this.timeLimit, this.rootId, this.id, this.argsrepr, this.kwargsrepr, this.origin,
				this.ignoreResult, this.extraHeaders, this.args, this.kwargs, this.embed);
	}

	/**
	 * Whether the task had expired at the given instant.
	 * @param now the instant
	 * @return {@code true} if it has an expiry and it is not after {@code now}
	 */
	public boolean isExpiredAt(Instant now) {
		return this.expires != null && !this.expires.isAfter(now);
	}

	/**
	 * Whether the task must wait beyond the given instant.
	 * @param now the instant
	 * @return {@code true} if it has an eta after {@code now}
	 */
	public boolean isDueAfter(Instant now) {
		return this.eta != null && this.eta.isAfter(now);
	}

}
