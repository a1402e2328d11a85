package dev.taskqueue.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskState;
import dev.taskqueue.canvas.Canvas;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chain;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.protocol.PythonRepr;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

/**
 * What a message's workflow asks of the worker once its task has run, as Celery's worker does it
 * ({@code celery/app/trace.py}, {@code backends/base.py}): after a success, apply the {@code callbacks} with the
 * result and send the next step of the {@code chain}; after a failure, fail the rest of the chain and call the
 * {@code errbacks}; in a chord's header, report to the chord's join, and send the body (or fail it with
 * {@code ChordError}) if this task completed the header.
 */
final class Workflow {

	private static final Logger logger = LoggerFactory.getLogger(Workflow.class);

	private static final String PARENT_ID = "parent_id";

	private static final String ROOT_ID = "root_id";

	private final Supplier<@Nullable CanvasClient> canvas;

	private final ResultBackend results;

	private final TaskRegistry registry;

	private final TaskInvoker invoker;

	private final Clock clock;

	Workflow(Supplier<@Nullable CanvasClient> canvas, ResultBackend results, TaskRegistry registry,
			TaskInvoker invoker, Clock clock) {
		this.canvas = canvas;
		this.results = results;
		this.registry = registry;
		this.invoker = invoker;
		this.clock = clock;
	}

	/**
	 * Apply the callbacks with the result, then send the chain's next step with the rest of the chain, each with
	 * this task as parent (Celery's {@code trace_task}, before the result is stored).
	 * @param message the task's message
	 * @param value its result, as plain values
	 * @return the result tuples of what was sent, the task's {@code children}
	 */
	List<Object> succeeded(TaskMessage message, @Nullable Object value) {
		List<Map<String, Object>> callbacks = Embed.signatures(message, Embed.CALLBACKS);
		List<Map<String, Object>> chain = Embed.signatures(message, Embed.CHAIN);
		if (callbacks.isEmpty() && chain.isEmpty()) {
			return List.of();
		}
		CanvasClient client = client(message);
		List<Object> children = new ArrayList<>();
		Map<String, Object> family = family(message.id(), rootOf(message));
		List<Object> args = new ArrayList<>(1);
		args.add(value);
		if (callbacks.size() == 1) {
			children.add(client.apply(Canvas.fromMap(callbacks.get(0)), args, family));
		}
		else if (!callbacks.isEmpty()) {
			// as Celery: groups each on their own, the other callbacks together as one group
			List<Canvas<?>> signatures = new ArrayList<>();
			for (Map<String, Object> callback : callbacks) {
				Canvas<?> canvas = Canvas.fromMap(callback);
				if (canvas instanceof Group) {
					children.add(client.apply(canvas, args, family));
				}
				else {
					signatures.add(canvas);
				}
			}
			if (!signatures.isEmpty()) {
				children.add(client.apply(Group.of(signatures), args, family));
			}
		}
		if (!chain.isEmpty()) {
			Map<String, Object> options = new LinkedHashMap<>(family);
			options.put(Embed.CHAIN, new ArrayList<>(chain.subList(0, chain.size() - 1)));
			children.add(client.apply(Canvas.fromMap(chain.get(chain.size() - 1)), args, options));
		}
		return children;
	}

	/**
	 * After a final failure: store the failure for every step left of the chain (they will never run), tell
	 * their chords, and call the errbacks (Celery's {@code mark_as_failure}).
	 * @param message the task's message
	 * @param failure the stored failure
	 * @param replyTo the message's {@code reply_to}
	 */
	void failed(TaskMessage message, TaskResult failure, @Nullable String replyTo) {
		for (Map<String, Object> step : Embed.signatures(message, Embed.CHAIN)) {
			Map<String, Object> options = options(step);
			if (options.get("task_id") instanceof String stepId) {
				String groupId = (options.get("group_id") instanceof String group) ? group : null;
				this.results.store(copy(failure, stepId).withWorkflow(groupId, null, List.of()),
						(options.get("reply_to") instanceof String reply) ? reply : replyTo);
				if (options.get(Embed.CHORD) instanceof Map<?, ?> chord && groupId != null) {
					chordPartReturned(stepId, rootOf(message), groupId,
							(options.get("group_index") instanceof Number index) ? index.intValue() : null,
							uncheckedMap(chord), copy(failure, stepId));
				}
			}
		}
		List<Map<String, Object>> errbacks = Embed.signatures(message, Embed.ERRBACKS);
		if (!errbacks.isEmpty()) {
			callErrbacks(request(message), message.id(), rootOf(message), failure, errbacks);
		}
	}

	/**
	 * Report a chord header task's outcome to the chord's join, when the backend joins natively; if this task
	 * completed the header, send the body with the header's results in order, or fail it with Celery's
	 * {@code ChordError} if one of them failed.
	 * @param message the header task's message
	 * @param result its outcome
	 */
	void chordPartReturned(TaskMessage message, TaskResult result) {
		Map<String, Object> chord = Embed.chord(message);
		if (chord != null && message.group() != null) {
			chordPartReturned(message.id(), rootOf(message), message.group(), message.groupIndex(), chord, result);
		}
	}

	private void chordPartReturned(String taskId, String rootId, String groupId, @Nullable Integer groupIndex,
			Map<String, Object> body, TaskResult result) {
		if (!this.results.joinsChordsNatively()) {
			// the client sent celery.chord_unlock, which polls the header's results
			return;
		}
		List<TaskResult> parts = this.results.chordPartReturned(groupId, groupIndex, result);
		if (parts != null) {
			logger.debug("Task {} completed the header of chord {}", LogText.escape(taskId), LogText.escape(groupId));
			joined(Canvas.fromMap(body), groupId, parts, taskId, rootId);
		}
	}

	/**
	 * A chord's header is complete: send its body with the results, in header order, or fail the body.
	 * @param body the chord's body
	 * @param groupId the header's group
	 * @param parts the header's outcomes, in order
	 * @param parentId the task that completed the header (the body's parent)
	 * @param rootId the workflow's root
	 */
	void joined(Canvas<?> body, String groupId, List<TaskResult> parts, String parentId, String rootId) {
		List<@Nullable Object> values = new ArrayList<>(parts.size());
		for (TaskResult part : parts) {
			TaskState state = part.state();
			if (state == TaskState.FAILURE || state == TaskState.REVOKED) {
				chordError(body, "Dependency " + part.taskId() + " raised " + exceptionRepr(part));
				return;
			}
			values.add(part.result());
		}
		try {
			List<Object> args = new ArrayList<>(1);
			args.add(values);
			client(null).apply(body, args, family(parentId, rootId));
		}
		catch (RuntimeException ex) {
			logger.error("Could not send the body of chord {}", LogText.escape(groupId), ex);
			chordError(body, "Callback error: " + ex);
		}
	}

	/**
	 * Fail a chord's body that will not run (Celery's {@code chord_error_from_stack}): call its errbacks, then
	 * store {@code ChordError} for it.
	 */
	private void chordError(Canvas<?> body, String reason) {
		logger.warn("Chord body {} fails: {}", LogText.escape(String.valueOf(body)), LogText.escape(reason));
		List<String> ids = taskIds(body);
		String bodyId = ids.isEmpty() ? UUID.randomUUID().toString() : ids.get(ids.size() - 1);
		TaskResult failure = TaskResult.failure(bodyId, "ChordError", TaskResult.CELERY_EXCEPTIONS, reason, null,
				this.clock.instant());
		List<Map<String, Object>> errbacks = errbacksOf(body);
		if (!errbacks.isEmpty()) {
			Map<String, Object> request = new LinkedHashMap<>(body.toMap());
			request.put("id", bodyId);
			callErrbacks(request, bodyId, bodyId, failure, errbacks);
		}
		for (String id : ids) {
			this.results.store(copy(failure, id), replyToOf(body));
		}
	}

	/**
	 * Call errbacks as Celery 5.2 does ({@code _call_task_errbacks}): one that is a task of this worker taking
	 * more than one argument is called here with the request, the failure and the traceback; the others are sent
	 * together as a group, with the failed task's id as their argument.
	 */
	private void callErrbacks(Map<String, Object> request, String taskId, String rootId, TaskResult failure,
			List<Map<String, Object>> errbacks) {
		List<Canvas<?>> sent = new ArrayList<>();
		for (Map<String, Object> errback : errbacks) {
			Canvas<?> canvas;
			try {
				canvas = Canvas.fromMap(errback);
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Ignored an errback of task {} that is no signature: {}", LogText.escape(taskId),
						LogText.escape(ex.getMessage()));
				continue;
			}
			TaskDefinition local = (canvas instanceof Signature<?> signature) ? this.registry.find(signature.task())
					: null;
			if (local != null && arity(local) > 1) {
				callHere(local, (Signature<?>) canvas, request, failure);
			}
			else {
				sent.add(canvas);
			}
		}
		if (!sent.isEmpty()) {
			List<Object> args = new ArrayList<>(1);
			args.add(taskId);
			try {
				client(null).apply(Group.of(sent), args, family(taskId, rootId));
			}
			catch (RuntimeException ex) {
				logger.error("Could not send the errbacks of task {}", LogText.escape(taskId), ex);
			}
		}
	}

	/**
	 * Call an errback in this worker with the failed task's request, its failure and the traceback.
	 */
	private void callHere(TaskDefinition errback, Signature<?> signature, Map<String, Object> request,
			TaskResult failure) {
		TaskFailure reason = failure.toFailure();
		Map<String, @Nullable Object> exception = new LinkedHashMap<>();
		exception.put("type", (reason != null) ? reason.type() : "Unknown");
		exception.put("message", (reason != null) ? reason.message() : "");
		exception.put("traceback", failure.traceback());
		List<@Nullable Object> args = new ArrayList<>();
		args.add(request);
		args.add(exception);
		args.add(failure.traceback());
		args.addAll(signature.args());
		Object id = signature.options().get("task_id");
		TaskMessage message = new TaskMessage((id instanceof String text) ? text : UUID.randomUUID().toString(),
				signature.task(), null, null, null, null, null, null, 0, null, null, null, null, null, null, true, null,
				args, new LinkedHashMap<>(signature.kwargs()), null);
		try {
			this.invoker.invoke(errback, message, new WorkerTaskContext(message, Map.of(), "", false, null, null,
					this.clock));
		}
		catch (RuntimeException ex) {
			Throwable cause = (ex instanceof TaskExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Errback {} of task {} raised {}", LogText.escape(signature.task()),
					LogText.escape(String.valueOf(request.get("id"))), LogText.escape(cause.toString()));
		}
	}

	/**
	 * Hand a task's place to its replacement (Celery's {@code Task.replace}): the replacement gets the task's id,
	 * callbacks, errbacks, chord, group and the rest of its chain.
	 * @param message the replaced task's message
	 * @param signature the replacement's dict
	 */
	void replace(TaskMessage message, Map<String, ?> signature) {
		Canvas<?> replacement = Canvas.fromMap(signature);
		if (replacement.options().containsKey(Embed.CHORD)) {
			throw new IllegalArgumentException("A signature replacing a task must not be part of a chord");
		}
		if (replacement instanceof Group group) {
			// as Celery: a group is made a chord, so that what follows the task follows the whole group
			replacement = Chord.of(group, Signature.of("celery.accumulate", List.of(), Map.of("index", 0)));
		}
		for (Map<String, Object> callback : Embed.signatures(message, Embed.CALLBACKS)) {
			replacement = replacement.onSuccess(Canvas.fromMap(callback));
		}
		for (Map<String, Object> errback : Embed.signatures(message, Embed.ERRBACKS)) {
			replacement = replacement.onError(Canvas.fromMap(errback));
		}
		replacement = withId(replacement, message.id());
		Map<String, Object> options = new LinkedHashMap<>();
		options.put(ROOT_ID, rootOf(message));
		List<Map<String, Object>> rest = Embed.signatures(message, Embed.CHAIN);
		if (rest.isEmpty()) {
			Map<String, Object> chord = Embed.chord(message);
			if (chord != null) {
				options.put(Embed.CHORD, chord);
			}
			if (message.group() != null) {
				options.put("group_id", message.group());
			}
			if (message.groupIndex() != null) {
				options.put("group_index", message.groupIndex());
			}
			client(message).apply(replacement, List.of(), options);
			return;
		}
		List<Canvas<?>> steps = new ArrayList<>();
		steps.add(replacement);
		for (int i = rest.size() - 1; i >= 0; i--) {
			steps.add(Canvas.fromMap(rest.get(i)));
		}
		client(message).apply(Chain.of(steps), List.of(), options);
	}

	/**
	 * A canvas whose result is the given task id: a task's own, a chain's last step's, a chord's body's.
	 */
	private static Canvas<?> withId(Canvas<?> canvas, String id) {
		if (canvas instanceof Chain<?> chain) {
			List<Canvas<?>> tasks = new ArrayList<>(chain.tasks());
			tasks.set(tasks.size() - 1, withId(tasks.get(tasks.size() - 1), id));
			return chain.withTasks(tasks);
		}
		return canvas.withOption("task_id", id);
	}

	private CanvasClient client(@Nullable TaskMessage message) {
		CanvasClient client = this.canvas.get();
		if (client == null) {
			throw new IllegalStateException("Task " + ((message != null) ? message.id() : "")
					+ " continues a workflow, but this worker has no client to send its next tasks with");
		}
		return client;
	}

	/**
	 * The number of arguments a task takes, its context aside: Celery calls an errback in the failing worker
	 * when it takes more than one.
	 */
	private static int arity(TaskDefinition task) {
		int count = 0;
		for (Class<?> type : task.method().getParameterTypes()) {
			if (!TaskContext.class.equals(type)) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The failed task's request, as an errback called here receives it (Celery's {@code Context}).
	 */
	private static Map<String, Object> request(TaskMessage message) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("id", message.id());
		request.put("task", message.task());
		request.put("args", message.args());
		request.put("kwargs", message.kwargs());
		request.put("retries", message.retries());
		request.put(ROOT_ID, rootOf(message));
		putIfSet(request, PARENT_ID, message.parentId());
		putIfSet(request, "group", message.group());
		putIfSet(request, "group_index", message.groupIndex());
		return request;
	}

	private static List<Map<String, Object>> errbacksOf(Canvas<?> body) {
		List<Map<String, Object>> errbacks = new ArrayList<>(signatures(body.options().get("link_error")));
		if (errbacks.isEmpty() && body instanceof Chain<?> chain) {
			// our chains carry their errbacks on their steps
			errbacks.addAll(signatures(chain.tasks().get(chain.tasks().size() - 1).options().get("link_error")));
		}
		return errbacks;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> signatures(@Nullable Object value) {
		List<Map<String, Object>> signatures = new ArrayList<>();
		if (value instanceof Map<?, ?> one) {
			signatures.add((Map<String, Object>) one);
		}
		else if (value instanceof List<?> list) {
			list.stream().filter(Map.class::isInstance).forEach((item) -> signatures.add((Map<String, Object>) item));
		}
		return signatures;
	}

	/**
	 * The ids a canvas's result is stored under: a task's, a chain's steps', a chord's body's.
	 */
	private static List<String> taskIds(Canvas<?> canvas) {
		List<String> ids = new ArrayList<>();
		if (canvas instanceof Chain<?> chain) {
			chain.tasks().forEach((task) -> ids.addAll(taskIds(task)));
		}
		else if (canvas instanceof Chord<?> chord) {
			ids.addAll(taskIds(chord.body()));
		}
		else if (canvas instanceof Group group) {
			group.tasks().forEach((task) -> ids.addAll(taskIds(task)));
		}
		else if (canvas.options().get("task_id") instanceof String id) {
			ids.add(id);
		}
		return ids;
	}

	private static @Nullable String replyToOf(Canvas<?> canvas) {
		Object replyTo = canvas.options().get("reply_to");
		if (replyTo == null && canvas instanceof Chain<?> chain) {
			replyTo = chain.tasks().get(chain.tasks().size() - 1).options().get("reply_to");
		}
		return (replyTo instanceof String text) ? text : null;
	}

	/**
	 * An exception as Python shows it ({@code repr}): {@code ValueError('boom')}.
	 */
	static String exceptionRepr(TaskResult failure) {
		if (!(failure.result() instanceof Map<?, ?> exception)) {
			return String.valueOf(failure.result());
		}
		Object type = exception.get("exc_type");
		Object message = exception.get("exc_message");
		List<?> args = (message instanceof List<?> list) ? list : (message != null) ? List.of(message) : List.of();
		String repr = PythonRepr.ofArgs(args);
		// a tuple's repr, less the comma of a one-element tuple
		if (args.size() == 1 && repr.endsWith(",)")) {
			repr = repr.substring(0, repr.length() - 2) + ")";
		}
		return type + repr;
	}

	private static TaskResult copy(TaskResult failure, String taskId) {
		return new TaskResult(taskId, failure.status(), failure.result(), failure.traceback(), failure.dateDone());
	}

	private static String rootOf(TaskMessage message) {
		return (message.rootId() != null) ? message.rootId() : message.id();
	}

	private static Map<String, Object> family(String parentId, String rootId) {
		Map<String, Object> family = new LinkedHashMap<>();
		family.put(PARENT_ID, parentId);
		family.put(ROOT_ID, rootId);
		return family;
	}

	private static Map<String, Object> options(Map<String, Object> signature) {
		return (signature.get("options") instanceof Map<?, ?> options) ? uncheckedMap(options) : Map.of();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> uncheckedMap(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

	private static void putIfSet(Map<String, Object> map, String name, @Nullable Object value) {
		if (value != null) {
			map.put(name, value);
		}
	}

}
