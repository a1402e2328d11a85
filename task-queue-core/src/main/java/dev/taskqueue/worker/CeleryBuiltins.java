package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskRetryException;
import dev.taskqueue.canvas.Canvas;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.registry.RetryPolicy;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;
import dev.taskqueue.result.TaskResult;

/**
 * The tasks Celery's canvas sends that a worker provides itself ({@code celery/app/builtins.py}):
 * {@code celery.chord_unlock} (a chord's join for backends that cannot join natively), {@code celery.map},
 * {@code celery.starmap}, {@code celery.chunks} and {@code celery.accumulate}. An application's own task of the
 * same name wins.
 */
final class CeleryBuiltins {

	/** Celery's {@code result_chord_retry_interval}: how often {@code celery.chord_unlock} looks again. */
	private static final Duration CHORD_RETRY_INTERVAL = Duration.ofSeconds(1);

	private static final Method RUN;

	static {
		try {
			RUN = Builtin.class.getMethod("run", TaskMessage.class, WorkerTaskContext.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private final Map<String, TaskDefinition> tasks;

	private final Workflow workflow;

	private final ResultBackend results;

	private final TaskRegistry registry;

	private final TaskInvoker invoker;

	private final Supplier<@Nullable CanvasClient> canvas;

	CeleryBuiltins(Workflow workflow, ResultBackend results, TaskRegistry registry, TaskInvoker invoker,
			Supplier<@Nullable CanvasClient> canvas) {
		this.workflow = workflow;
		this.results = results;
		this.registry = registry;
		this.invoker = invoker;
		this.canvas = canvas;
		// chord_unlock retries until the header is ready, and stores nothing, as Celery's (max_retries=None,
		// ignore_result=True)
		TaskOptions unlock = new TaskOptions(null, null, null, true, null, null, null, null,
				new RetryPolicy(null, Integer.MAX_VALUE, CHORD_RETRY_INTERVAL, null, null, null), null, null, null);
		this.tasks = Map.of("celery.chord_unlock", definition("celery.chord_unlock", this::chordUnlock, unlock),
				"celery.map", definition("celery.map", (message, context) -> map(message, context, false),
						TaskOptions.DEFAULTS),
				"celery.starmap", definition("celery.starmap", (message, context) -> map(message, context, true),
						TaskOptions.DEFAULTS),
				"celery.chunks", definition("celery.chunks", this::chunks, TaskOptions.DEFAULTS),
				"celery.accumulate", definition("celery.accumulate", CeleryBuiltins::accumulate, TaskOptions.DEFAULTS));
	}

	private static TaskDefinition definition(String name, Builtin builtin, TaskOptions options) {
		return new TaskDefinition(name, builtin, RUN, options);
	}

	/**
	 * The built-in task of that name, if there is one.
	 * @param name the task's name
	 * @return its definition, or {@code null}
	 */
	@Nullable TaskDefinition find(String name) {
		return this.tasks.get(name);
	}

	/**
	 * Celery's {@code unlock_chord(group_id, callback, interval=None, max_retries=None, result=None)}: retried
	 * every {@code interval} seconds until every header task is ready, then the body is sent with their results.
	 */
	private @Nullable Object chordUnlock(TaskMessage message, WorkerTaskContext context) {
		String groupId = (String) argument(message, 0, "group_id");
		Object callback = argument(message, 1, "callback");
		Object interval = message.kwargs().get("interval");
		Object maxRetries = message.kwargs().get("max_retries");
		if (!(callback instanceof Map<?, ?> body)) {
			throw new IllegalArgumentException("celery.chord_unlock needs a callback signature, was " + callback);
		}
		List<TaskResult> parts = new ArrayList<>();
		for (Object tuple : listOrEmpty(message.kwargs().get("result"))) {
			for (String id : ResultTuples.taskIds(tuple)) {
				TaskResult part = this.results.fetch(id);
				if (part == null || !part.state().isReady()) {
					if (maxRetries instanceof Number limit && message.retries() >= limit.intValue()) {
						throw new IllegalStateException("chord " + groupId + " is not ready after "
								+ message.retries() + " retries");
					}
					Duration countdown = (interval instanceof Number seconds)
							? Duration.ofMillis(Math.round(seconds.doubleValue() * 1000)) : CHORD_RETRY_INTERVAL;
					throw new TaskRetryException(null, countdown);
				}
				parts.add(part);
			}
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> bodyMap = (Map<String, ?>) body;
		this.workflow.joined(Canvas.fromMap(bodyMap), groupId, parts, message.id(), context.rootId());
		return null;
	}

	/**
	 * Celery's {@code xmap(task, it)} and {@code xstarmap(task, it)}: the task called here on each item.
	 */
	private List<@Nullable Object> map(TaskMessage message, WorkerTaskContext context, boolean star) {
		Signature<?> task = signature(argument(message, 0, "task"));
		TaskDefinition definition = this.registry.find(task.task());
		if (definition == null) {
			throw new IllegalStateException((star ? "celery.starmap" : "celery.map") + " calls task '" + task.task()
					+ "', which this worker does not run");
		}
		List<@Nullable Object> values = new ArrayList<>();
		for (Object item : listOrEmpty(argument(message, 1, "it"))) {
			List<@Nullable Object> args = new ArrayList<>();
			if (star && item instanceof List<?> list) {
				args.addAll(list);
			}
			else {
				args.add(item);
			}
			TaskMessage call = new TaskMessage(message.id(), task.task(), null, null, null, null, null, null, 0, null,
					null, null, null, null, null, true, null, args, Map.of(), null);
			values.add(this.invoker.invoke(definition, call, context));
		}
		return values;
	}

	/**
	 * Celery's {@code chunks(task, it, n)}: the items sent as a group of starmaps of {@code n} items each.
	 */
	private List<@Nullable Object> chunks(TaskMessage message, WorkerTaskContext context) {
		Signature<?> task = signature(argument(message, 0, "task"));
		Object n = argument(message, 2, "n");
		List<List<?>> items = new ArrayList<>();
		for (Object item : listOrEmpty(argument(message, 1, "it"))) {
			items.add((item instanceof List<?> list) ? list : List.of(item));
		}
		CanvasClient client = this.canvas.get();
		if (client == null) {
			throw new IllegalStateException("celery.chunks sends tasks, and this worker has no client");
		}
		return client.apply(Signature.chunks(task, items, ((Number) n).intValue()), List.of(),
				Map.of("parent_id", message.id(), "root_id", context.rootId()));
	}

	/**
	 * Celery's {@code accumulate(*args, index=None)}: the argument at {@code index}, or all of them.
	 */
	private static @Nullable Object accumulate(TaskMessage message, WorkerTaskContext context) {
		Object index = message.kwargs().get("index");
		if (index instanceof Number position) {
			int at = position.intValue();
			return message.args().get((at < 0) ? message.args().size() + at : at);
		}
		return message.args();
	}

	private static @Nullable Object argument(TaskMessage message, int position, String name) {
		if (position < message.args().size()) {
			return message.args().get(position);
		}
		if (!message.kwargs().containsKey(name)) {
			throw new IllegalArgumentException(message.task() + " needs argument '" + name + "'");
		}
		return message.kwargs().get(name);
	}

	@SuppressWarnings("unchecked")
	private static Signature<?> signature(@Nullable Object value) {
		if (value instanceof Map<?, ?> map && Canvas.fromMap((Map<String, ?>) map) instanceof Signature<?> signature) {
			return signature;
		}
		throw new IllegalArgumentException("expected a task signature, was " + value);
	}

	private static List<?> listOrEmpty(@Nullable Object value) {
		return (value instanceof List<?> list) ? list : List.of();
	}

	/**
	 * A built-in task: run with its message and context, not bound to a method's parameters.
	 */
	interface Builtin {

		/**
		 * Run the task.
		 * @param message its message
		 * @param context its context
		 * @return its result
		 */
		@Nullable Object run(TaskMessage message, WorkerTaskContext context);

	}

}
