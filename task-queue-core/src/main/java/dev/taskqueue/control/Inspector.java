package dev.taskqueue.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * Asks workers what they hold, as Celery's {@code Inspect} ({@code app.control.inspect(destination=...,
 * timeout=..., limit=...)}): each method sends one inspect command, with this inspector's
 * {@link ControlOptions}, and returns the replies by worker name. Java and Python workers answer alike.
 * <pre>{@code
 * Replies<List<TaskInfo>> active = control.inspect().active();
 * active.values().forEach((worker, tasks) -> tasks.forEach((task) -> log.info("{} runs {}", worker, task.name())));
 * }</pre>
 * Get one from {@link TaskControl#inspect()}.
 */
public final class Inspector {

	private final Mailbox mailbox;

	private final ControlOptions options;

	Inspector(Mailbox mailbox, ControlOptions options) {
		this.mailbox = mailbox;
		this.options = options;
	}

	/**
	 * The options each command is sent with.
	 * @return the options
	 */
	public ControlOptions options() {
		return this.options;
	}

	/**
	 * The tasks the workers are running: Celery's {@code inspect().active()}.
	 * @return the tasks by worker
	 */
	public Replies<List<TaskInfo>> active() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("safe", null);
		return request("active", arguments, list(TaskInfo::read));
	}

	/**
	 * The tasks the workers have taken but not started (prefetched): Celery's {@code inspect().reserved()}.
	 * @return the tasks by worker
	 */
	public Replies<List<TaskInfo>> reserved() {
		return request("reserved", Map.of(), list(TaskInfo::read));
	}

	/**
	 * The tasks the workers hold until their eta: Celery's {@code inspect().scheduled()}.
	 * @return the tasks by worker
	 */
	public Replies<List<ScheduledTask>> scheduled() {
		return request("scheduled", Map.of(), list(ScheduledTask::read));
	}

	/**
	 * The names of the tasks the workers run: Celery's {@code inspect().registered()}. A Celery worker follows a
	 * task's name with what it knows of its routing and rate limit ({@code "sample.add [rate_limit=10/s]"}): the
	 * names here are without it, the replies' {@linkplain Replies#raw() JSON} has it.
	 * @return the task names by worker
	 */
	public Replies<List<String>> registered() {
		return request("registered", Map.of("taskinfoitems", List.of()), list(Inspector::taskName));
	}

	private static String taskName(JsonNode registered) {
		String text = registered.asString();
		int info = text.indexOf(" [");
		return (info >= 0) ? text.substring(0, info) : text;
	}

	/**
	 * The workers' statistics: Celery's {@code inspect().stats()}.
	 * @return the statistics by worker
	 */
	public Replies<WorkerStats> stats() {
		return request("stats", Map.of(), WorkerStats::read);
	}

	/**
	 * The ids of the tasks the workers know to be revoked: Celery's {@code inspect().revoked()}.
	 * @return the task ids by worker
	 */
	public Replies<List<String>> revoked() {
		return request("revoked", Map.of(), list(JsonNode::asString));
	}

	/**
	 * The queues the workers consume: Celery's {@code inspect().active_queues()}.
	 * @return the queues by worker
	 */
	public Replies<List<QueueInfo>> activeQueues() {
		return request("active_queues", Map.of(), list(QueueInfo::read));
	}

	/**
	 * What the workers know of some tasks: Celery's {@code inspect().query_task(*ids)}. A worker that holds none
	 * of them answers an empty map.
	 * @param taskIds the tasks' ids
	 * @return by worker, the tasks it holds by id
	 */
	public Replies<Map<String, QueriedTask>> queryTask(String... taskIds) {
		return request("query_task", Map.of("ids", Arrays.asList(taskIds)), (reply) -> {
			Map<String, QueriedTask> tasks = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> entry : reply.properties()) {
				tasks.put(entry.getKey(), QueriedTask.read(entry.getValue()));
			}
			return tasks;
		});
	}

	/**
	 * Whether the workers answer: Celery's {@code inspect().ping()}.
	 * @return {@code pong} by worker
	 */
	public Replies<String> ping() {
		return request("ping", Map.of(), TaskControl::ok);
	}

	/**
	 * Send any inspect command: Celery's {@code inspect()._request(command, **arguments)}.
	 * @param command the command's name, such as {@code conf} or {@code report}
	 * @param arguments its arguments
	 * @return the replies' JSON by worker
	 */
	public Replies<JsonNode> request(String command, Map<String, ?> arguments) {
		return request(command, arguments, Function.identity());
	}

	private <T> Replies<T> request(String command, Map<String, ?> arguments, Function<JsonNode, T> reader) {
		return Replies.read(this.mailbox.call(command, arguments, this.options), reader);
	}

	private static <T> Function<JsonNode, List<T>> list(Function<JsonNode, T> element) {
		return (reply) -> {
			if (!reply.isArray()) {
				throw new IllegalArgumentException("not a JSON array");
			}
			List<T> elements = new ArrayList<>();
			reply.forEach((node) -> elements.add(element.apply(node)));
			return List.copyOf(elements);
		};
	}

}
