package dev.taskqueue.client;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;
import dev.taskqueue.protocol.TimeLimit;

/**
 * One task message to publish, as Celery's {@code send_task} takes it: the task, its arguments, the options that
 * route and time it, and its place in a workflow.
 *
 * @param id the task's id, or {@code null} for a new one (then {@code options.taskId()} if set)
 * @param name the task's name
 * @param args its positional arguments
 * @param kwargs its keyword arguments
 * @param options routing, timing, headers and serialization
 * @param groupId its group, or {@code null}
 * @param groupIndex its position in a chord's header, or {@code null}
 * @param parentId the task that sent it, or {@code null} (then the running task, if any)
 * @param rootId the workflow's first task, or {@code null} (then the running task's root, or itself)
 * @param embed the message's {@code callbacks}, {@code errbacks}, {@code chain} and {@code chord}, or
 * {@code null} for none
 * @param replyTo where results go for an {@code rpc} backend, or {@code null} for this client's
 * @param timeLimit the hard and soft time limits
 * @param shadow a display name, or {@code null}
 * @param ignoreResult whether no result is to be stored
 * @param addToParent whether the running task, if the sender is one, lists it among its children
 */
record Publication(@Nullable String id, String name, List<?> args, Map<String, ?> kwargs, SendOptions options,
		@Nullable String groupId, @Nullable Integer groupIndex, @Nullable String parentId, @Nullable String rootId,
		@Nullable Map<String, @Nullable Object> embed, @Nullable String replyTo, TimeLimit timeLimit,
		@Nullable String shadow, boolean ignoreResult, boolean addToParent) {

	/**
	 * A task sent on its own with a client's options.
	 * @param name the task's name
	 * @param args its positional arguments
	 * @param kwargs its keyword arguments
	 * @param options the client's options
	 * @return the publication
	 */
	static Publication of(String name, List<?> args, Map<String, ?> kwargs, SendOptions options) {
		return new Publication(options.taskId(), name, args, kwargs, options, null, null, null, null, null, null,
				TimeLimit.NONE, null, false, true);
	}

}
