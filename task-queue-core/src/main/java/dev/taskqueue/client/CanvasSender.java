package dev.taskqueue.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.canvas.Canvas;
import dev.taskqueue.canvas.Chain;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;

/**
 * Applies Celery's canvas the way Celery's {@code apply_async} does, so that the messages are those a Celery
 * client would send: a chain sends its first task carrying the rest ({@code chain}, reversed), a group sends each
 * task with the group's id, a chord freezes its body, sends its header with {@code chord} = the body (and the chord
 * size to a backend that joins natively, or {@code celery.chord_unlock} to one that does not). Freezing gives every
 * task its id before anything is sent, as Celery's {@code freeze}.
 */
final class CanvasSender {

	private static final String CHORD_UNLOCK = "celery.chord_unlock";

	private static final java.util.Set<String> MAPS = java.util.Set.of("celery.map", "celery.starmap", "celery.chunks");

	private final TaskTemplate template;

	private final ResultBackend backend;

	CanvasSender(TaskTemplate template, ResultBackend backend) {
		this.template = template;
		this.backend = backend;
	}

	/**
	 * Apply a canvas (Celery's {@code apply_async(args, **options)}).
	 * @return what was sent: the result tuple, and the ids of the tasks that lead to it (a chain's steps)
	 */
	Sent apply(Canvas<?> canvas, List<?> args, Map<String, ?> options) {
		if (canvas instanceof Signature<?> signature) {
			String id = this.template.publish(publication(signature.prepend(args), options), Object.class).id();
			return Sent.task(id);
		}
		if (canvas instanceof Chain<?> chain) {
			return applyChain(chain, args, options);
		}
		if (canvas instanceof Group group) {
			return applyGroup(group, args, options, null);
		}
		return applyChord((Chord<?>) canvas, args, options);
	}

	private Publication publication(Signature<?> signature, Map<String, ?> options) {
		Map<String, @Nullable Object> merged = merged(signature.options(), options);
		String mapped = mappedTask(signature);
		if (mapped != null && !merged.containsKey(CeleryOptions.QUEUE) && this.template.options().queue() == null) {
			// as Celery's xmap and chunks (route_name): routed as the task they call, which must run where they run
			merged.put(CeleryOptions.QUEUE, this.template.queueOf(mapped));
		}
		return CeleryOptions.publication(signature.task(), signature.args(), signature.kwargs(), merged,
				this.template.options());
	}

	/**
	 * The task a {@code celery.map}, {@code celery.starmap} or {@code celery.chunks} signature calls.
	 */
	private static @Nullable String mappedTask(Signature<?> signature) {
		if (!MAPS.contains(signature.task()) || !(signature.kwargs().get("task") instanceof Map<?, ?> task)) {
			return null;
		}
		return (task.get("task") instanceof String name) ? name : null;
	}

	private Sent applyChain(Chain<?> chain, List<?> args, Map<String, ?> given) {
		Map<String, @Nullable Object> options = merged(chain.options(), given);
		List<?> partial = chain.isImmutable() ? List.of() : args;
		String taskId = take(options, CeleryOptions.TASK_ID);
		String groupId = take(options, CeleryOptions.GROUP_ID);
		Object chord = options.remove(CeleryOptions.CHORD);
		Object groupIndex = options.remove(CeleryOptions.GROUP_INDEX);
		String rootId = take(options, CeleryOptions.ROOT_ID);
		List<Object> links = listOrEmpty(options.remove(CeleryOptions.LINK));
		List<Object> errbacks = listOrEmpty(options.remove(CeleryOptions.LINK_ERROR));
		List<Canvas<?>> steps = steps(chain.tasks());
		List<Canvas<?>> frozen = new ArrayList<>(steps.size());
		List<String> ids = new ArrayList<>(steps.size());
		Sent last = null;
		for (int i = steps.size() - 1; i >= 0; i--) {
			boolean isLast = (i == steps.size() - 1);
			Frozen step = isLast ? freeze(steps.get(i), taskId, groupId, chord, rootId, null,
					(groupIndex instanceof Number index) ? index.intValue() : null)
					: freeze(steps.get(i), null, null, null, rootId, null, null);
			Canvas<?> canvas = step.canvas();
			for (Object errback : errbacks) {
				canvas = canvas.onError(Canvas.fromMap(dict(errback)));
			}
			if (isLast) {
				for (Object link : links) {
					canvas = canvas.onSuccess(Canvas.fromMap(dict(link)));
				}
				last = step.sent();
			}
			frozen.add(0, canvas);
			ids.add(0, step.sent().id());
		}
		List<Object> rest = new ArrayList<>();
		if (options.get(CeleryOptions.CHAIN) instanceof List<?> outer) {
			// a chain that is a step of another: its steps run first, then the outer chain's rest
			rest.addAll(outer);
		}
		for (int i = frozen.size() - 1; i >= 1; i--) {
			rest.add(frozen.get(i).toMap());
		}
		options.put(CeleryOptions.CHAIN, rest);
		apply(frozen.get(0), partial, options);
		return new Sent(last.tuple(), ids);
	}

	/**
	 * Send a group's tasks, unrolling nested groups; {@code beforeLast} runs before the last task is sent (a
	 * chord's size is set then, as Celery does).
	 */
	private Sent applyGroup(Group group, List<?> args, Map<String, ?> given, @Nullable Runnable beforeLast) {
		Map<String, @Nullable Object> options = merged(group.options(), given);
		if (options.containsKey(CeleryOptions.LINK) || options.containsKey(CeleryOptions.LINK_ERROR)) {
			throw new IllegalArgumentException("A group cannot have a callback: make a chord, or link its tasks");
		}
		String groupId = take(options, CeleryOptions.TASK_ID);
		groupId = (groupId != null) ? groupId : TaskIds.next();
		options.put(CeleryOptions.GROUP_ID, groupId);
		String rootId = (options.get(CeleryOptions.ROOT_ID) instanceof String root) ? root : null;
		List<Canvas<?>> members = unrolled(group.tasks());
		List<Object> tuples = new ArrayList<>(members.size());
		// one task at a time is a round trip each: the tasks are pipelined where the broker allows (Redis), and
		// all of them are with the broker before the last is sent (a chord's size is set in between)
		List<CompletableFuture<String>> published = new ArrayList<>(members.size());
		for (int i = 0; i < members.size(); i++) {
			Frozen member = freeze(members.get(i), null, groupId, null, rootId, null, null);
			boolean last = (i == members.size() - 1);
			if (last) {
				awaitAll(published);
				if (beforeLast != null) {
					beforeLast.run();
				}
			}
			if (!last && member.canvas() instanceof Signature<?> signature) {
				published.add(this.template.publishAsync(publication(signature.prepend(args), options)));
			}
			else {
				apply(member.canvas(), args, options);
			}
			tuples.add(member.sent().tuple());
		}
		List<@Nullable Object> tuple = new ArrayList<>(2);
		tuple.add(java.util.Arrays.asList(groupId, null));
		tuple.add(tuples);
		return new Sent(tuple, List.of(groupId));
	}

	private Sent applyChord(Chord<?> chord, List<?> args, Map<String, ?> given) {
		this.backend.ensureChordsAllowed();
		Map<String, @Nullable Object> options = merged(chord.options(), given);
		String taskId = take(options, CeleryOptions.TASK_ID);
		Group header = chord.header();
		String groupId = (header.options().get(CeleryOptions.TASK_ID) instanceof String id) ? id : TaskIds.next();
		Canvas<?> body = chord.body();
		String rootId = (body.options().get(CeleryOptions.ROOT_ID) instanceof String root) ? root : null;
		for (Map.Entry<String, @Nullable Object> option : options.entrySet()) {
			body = body.withOption(option.getKey(), option.getValue());
		}
		Frozen frozenBody = freeze(body, taskId, null, null, rootId, null, null);
		options.remove(CeleryOptions.CHAIN);
		options.remove(CeleryOptions.CHORD);
		Map<String, @Nullable Object> bodyMap = frozenBody.canvas().toMap();
		List<Canvas<?>> members = unrolled(header.tasks());
		if (members.isEmpty()) {
			apply(frozenBody.canvas(), List.of(List.of()), Map.of());
			return frozenBody.sent();
		}
		List<Canvas<?>> frozenMembers = new ArrayList<>(members.size());
		List<String> memberIds = new ArrayList<>(members.size());
		int size = 0;
		for (int i = 0; i < members.size(); i++) {
			Frozen member = freeze(members.get(i), null, groupId, bodyMap, rootId, null, i);
			frozenMembers.add(member.canvas());
			memberIds.add(member.sent().id());
			size += chordSize(members.get(i));
		}
		int chordSize = size;
		Runnable setSize = null;
		if (this.backend.joinsChordsNatively()) {
			setSize = () -> this.backend.setChordSize(groupId, chordSize);
		}
		else {
			sendChordUnlock(groupId, frozenBody.canvas(), memberIds);
		}
		options.put(CeleryOptions.TASK_ID, groupId);
		applyGroup(header.withTasks(frozenMembers), args, options, setSize);
		return frozenBody.sent();
	}

	/**
	 * Celery's {@code fallback_chord_unlock}: a task that polls the header's results and sends the body once they
	 * are all ready, sent before the header, due a second later, routed as the body.
	 */
	private void sendChordUnlock(String groupId, Canvas<?> body, List<String> memberIds) {
		List<Object> results = new ArrayList<>(memberIds.size());
		memberIds.forEach((id) -> results.add(ResultTuples.task(id)));
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("interval", null);
		kwargs.put("max_retries", null);
		kwargs.put("result", results);
		Map<String, @Nullable Object> options = new LinkedHashMap<>();
		options.put("countdown", 1);
		options.put("ignore_result", true);
		Object queue = body.options().get(CeleryOptions.QUEUE);
		String bodyName = (body instanceof Signature<?> signature) ? signature.task() : null;
		options.put(CeleryOptions.QUEUE, (queue != null) ? queue
				: (bodyName != null) ? this.template.queueOf(bodyName) : null);
		Object priority = body.options().get("priority");
		if (priority != null) {
			options.put("priority", priority);
		}
		Signature<Object> unlock = Signature.of(CHORD_UNLOCK, List.of(groupId, body.toMap()), kwargs);
		apply(unlock, List.of(), options);
	}

	/**
	 * How many header tasks a canvas in a chord's header stands for (Celery's {@code _chord._descend}).
	 */
	private static int chordSize(Canvas<?> canvas) {
		if (canvas instanceof Group group) {
			return group.tasks().stream().mapToInt(CanvasSender::chordSize).sum();
		}
		if (canvas instanceof Chain<?> chain) {
			for (int i = chain.tasks().size() - 1; i >= 0; i--) {
				int size = chordSize(chain.tasks().get(i));
				if (size > 0) {
					return size;
				}
			}
			return 0;
		}
		if (canvas instanceof Chord<?> chord) {
			return chordSize(chord.body());
		}
		return 1;
	}

	/**
	 * Give a canvas its ids before it is sent (Celery's {@code freeze}): a task keeps the id it has, or gets the
	 * given or a new one; the group, chord, root, parent and position are set as given.
	 */
	private Frozen freeze(Canvas<?> canvas, @Nullable String id, @Nullable String groupId, @Nullable Object chord,
			@Nullable String rootId, @Nullable String parentId, @Nullable Integer groupIndex) {
		if (canvas instanceof Signature<?> signature) {
			Map<String, @Nullable Object> options = new LinkedHashMap<>();
			Object own = signature.options().get(CeleryOptions.TASK_ID);
			String taskId = (own instanceof String text) ? text : (id != null) ? id : TaskIds.next();
			options.put(CeleryOptions.TASK_ID, taskId);
			putIfSet(options, CeleryOptions.ROOT_ID, rootId);
			putIfSet(options, CeleryOptions.PARENT_ID, parentId);
			if (!signature.options().containsKey(CeleryOptions.REPLY_TO)) {
				options.put(CeleryOptions.REPLY_TO, this.template.replyTo());
			}
			if (groupId != null && !signature.options().containsKey(CeleryOptions.GROUP_ID)) {
				options.put(CeleryOptions.GROUP_ID, groupId);
			}
			putIfSet(options, CeleryOptions.CHORD, chord);
			putIfSet(options, CeleryOptions.GROUP_INDEX, groupIndex);
			return new Frozen(signature.withOptions(options), Sent.task(taskId));
		}
		if (canvas instanceof Chain<?> chain) {
			List<Canvas<?>> steps = steps(chain.tasks());
			List<Canvas<?>> frozen = new ArrayList<>(steps.size());
			List<String> ids = new ArrayList<>(steps.size());
			Sent last = null;
			for (int i = 0; i < steps.size(); i++) {
				boolean isLast = (i == steps.size() - 1);
				Frozen step = isLast ? freeze(steps.get(i), id, groupId, chord, rootId, null, groupIndex)
						: freeze(steps.get(i), null, null, null, rootId, null, null);
				frozen.add(step.canvas());
				ids.add(step.sent().id());
				last = step.sent();
			}
			return new Frozen(chain.withTasks(frozen), new Sent(last.tuple(), ids));
		}
		if (canvas instanceof Group group) {
			Object own = group.options().get(CeleryOptions.TASK_ID);
			String ownId = (own instanceof String text) ? text : (groupId != null) ? groupId : TaskIds.next();
			List<Canvas<?>> members = unrolled(group.tasks());
			List<Canvas<?>> frozen = new ArrayList<>(members.size());
			List<String> memberIds = new ArrayList<>(members.size());
			for (int i = 0; i < members.size(); i++) {
				Frozen member = freeze(members.get(i), null, ownId, chord, rootId, parentId, i);
				frozen.add(member.canvas());
				memberIds.add(member.sent().id());
			}
			Group result = group.withTasks(frozen).withOption(CeleryOptions.TASK_ID, ownId);
			if (groupId != null) {
				result = result.withOption(CeleryOptions.GROUP_ID, groupId);
			}
			return new Frozen(result, new Sent(ResultTuples.group(ownId, memberIds), List.of(ownId)));
		}
		Chord<?> chordCanvas = (Chord<?>) canvas;
		Frozen body = freeze(chordCanvas.body(), id, groupId, chord, rootId, null, groupIndex);
		return new Frozen(chordCanvas.with(chordCanvas.header(), body.canvas()), body.sent());
	}

	/**
	 * A chain's steps as Celery runs them: nested chains spliced in, a group of one task unrolled to it, and a
	 * group followed by a step made a chord with that step as its body (Celery's {@code prepare_steps}).
	 */
	private static List<Canvas<?>> steps(List<Canvas<?>> tasks) {
		Deque<Canvas<?>> flat = new ArrayDeque<>();
		splice(tasks, flat);
		List<Canvas<?>> steps = new ArrayList<>(flat.size());
		while (!flat.isEmpty()) {
			Canvas<?> step = flat.pollLast();
			if (step instanceof Group group && group.tasks().size() == 1) {
				step = group.tasks().get(0);
			}
			if (step instanceof Group group && !steps.isEmpty()) {
				steps.set(0, Chord.of(group, steps.get(0)));
			}
			else {
				steps.add(0, step);
			}
		}
		return steps;
	}

	private static void splice(List<Canvas<?>> tasks, Deque<Canvas<?>> into) {
		for (Canvas<?> task : tasks) {
			if (task instanceof Chain<?> chain && chain.options().isEmpty()) {
				splice(chain.tasks(), into);
			}
			else {
				into.addLast(task);
			}
		}
	}

	private static List<Canvas<?>> unrolled(List<Canvas<?>> tasks) {
		List<Canvas<?>> members = new ArrayList<>(tasks.size());
		for (Canvas<?> task : tasks) {
			if (task instanceof Group group) {
				members.addAll(unrolled(group.tasks()));
			}
			else {
				members.add(task);
			}
		}
		return members;
	}

	private static void awaitAll(List<CompletableFuture<String>> published) {
		try {
			CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * Options given over a canvas's own, as Celery's {@code _merge}: a {@code group_id} it has is kept, and
	 * options given as {@code null} are dropped.
	 */
	static Map<String, @Nullable Object> merged(Map<String, ?> own, Map<String, ?> given) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(own);
		given.forEach((name, value) -> {
			if (value != null && !(CeleryOptions.GROUP_ID.equals(name) && own.containsKey(name))) {
				merged.put(name, value);
			}
		});
		return merged;
	}

	private static @Nullable String take(Map<String, @Nullable Object> options, String name) {
		Object value = options.remove(name);
		return (value instanceof String text) ? text : null;
	}

	private static Map<String, ?> dict(Object signature) {
		if (signature instanceof Map<?, ?> map) {
			@SuppressWarnings("unchecked")
			Map<String, ?> dict = (Map<String, ?>) map;
			return dict;
		}
		throw new IllegalArgumentException("a callback must be a signature dict, was " + signature);
	}

	private static List<Object> listOrEmpty(@Nullable Object value) {
		List<Object> list = CeleryOptions.list(value);
		return (list != null) ? list : List.of();
	}

	private static void putIfSet(Map<String, @Nullable Object> options, String name, @Nullable Object value) {
		if (value != null) {
			options.put(name, value);
		}
	}

	/**
	 * A canvas with its ids, and what sending it gives.
	 */
	private record Frozen(Canvas<?> canvas, Sent sent) {
	}

	/**
	 * What was sent: Celery's result tuple of it, and the ids of the tasks leading to it, first to last (a
	 * chain's steps; the task or group alone otherwise).
	 *
	 * @param tuple the result tuple
	 * @param path the ids leading to it, the last being its own
	 */
	record Sent(List<@Nullable Object> tuple, List<String> path) {

		static Sent task(String id) {
			return new Sent(ResultTuples.task(id), List.of(id));
		}

		String id() {
			return this.path.get(this.path.size() - 1);
		}

	}

}
