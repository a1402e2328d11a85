package dev.taskqueue.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskState;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

/**
 * The context of a task a worker is running: Celery's {@code self.request}, read from the message, plus the
 * children the task sends while it runs, which are stored with its result.
 */
final class WorkerTaskContext implements TaskContext {

	private final TaskMessage message;

	private final Map<String, Object> headers;

	private final String queue;

	private final boolean redelivered;

	private final @Nullable ResultBackend results;

	private final @Nullable String replyTo;

	private final Clock clock;

	/** Made when the task first sends a task: most send none, and pay nothing for it. */
	private @Nullable List<Object> children;

	/**
	 * Create the context of a run.
	 * @param message the task's message
	 * @param headers the message headers
	 * @param queue the queue it was delivered from
	 * @param redelivered whether it was delivered before
	 * @param results where {@link #updateState} stores, or {@code null} for nowhere
	 * @param replyTo the message's {@code reply_to}, for an {@code rpc} backend
	 * @param clock the clock a final state's time is read from
	 */
	WorkerTaskContext(TaskMessage message, Map<String, Object> headers, String queue, boolean redelivered,
			@Nullable ResultBackend results, @Nullable String replyTo, Clock clock) {
		this.message = message;
		this.headers = headers;
		this.queue = queue;
		this.redelivered = redelivered;
		this.results = results;
		this.replyTo = replyTo;
		this.clock = clock;
	}

	@Override
	public String taskId() {
		return this.message.id();
	}

	@Override
	public String taskName() {
		return this.message.task();
	}

	@Override
	public int retries() {
		return this.message.retries();
	}

	@Override
	public Map<String, Object> headers() {
		return this.headers;
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public boolean redelivered() {
		return this.redelivered;
	}

	@Override
	public @Nullable String parentId() {
		return this.message.parentId();
	}

	@Override
	public String rootId() {
		return (this.message.rootId() != null) ? this.message.rootId() : this.message.id();
	}

	@Override
	public @Nullable String groupId() {
		return this.message.group();
	}

	@Override
	public @Nullable Integer groupIndex() {
		return this.message.groupIndex();
	}

	@Override
	public @Nullable Map<String, Object> chord() {
		return Embed.chord(this.message);
	}

	@Override
	public List<Map<String, Object>> callbacks() {
		return Embed.signatures(this.message, Embed.CALLBACKS);
	}

	@Override
	public List<Map<String, Object>> errbacks() {
		return Embed.signatures(this.message, Embed.ERRBACKS);
	}

	@Override
	public List<Map<String, Object>> chain() {
		return Embed.signatures(this.message, Embed.CHAIN);
	}

	@Override
	public void updateState(String state, Map<String, ?> meta) {
		if (state == null || state.isEmpty()) {
			throw new IllegalArgumentException("a state needs a name");
		}
		if (this.results == null) {
			return;
		}
		// a final state stored by the task itself would be overwritten by its outcome anyway, as in Celery
		TaskResult result = new TaskResult(this.message.id(), state, new java.util.LinkedHashMap<>(meta), null,
				TaskState.of(state).isReady() ? this.clock.instant() : null);
		this.results.store(result.withWorkflow(this.message.group(), this.message.parentId(), List.of()),
				this.replyTo);
	}

	@Override
	public synchronized void addChild(List<?> resultTuple) {
		if (this.children == null) {
			this.children = new ArrayList<>(2);
		}
		this.children.add(new ArrayList<>(resultTuple));
	}

	/**
	 * The children the task sent while it ran, as Celery's result tuples.
	 * @return a copy, in the order they were sent; an empty read-only list if it sent none
	 */
	synchronized List<Object> children() {
		return (this.children != null) ? new ArrayList<>(this.children) : List.of();
	}

	/**
	 * The task's message.
	 * @return the message
	 */
	TaskMessage message() {
		return this.message;
	}

}
