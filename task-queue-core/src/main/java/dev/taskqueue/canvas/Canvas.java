package dev.taskqueue.canvas;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;

/**
 * A piece of a workflow, as Celery's canvas composes them: one task's {@link Signature}, a {@link Chain}, a
 * {@link Group} or a {@link Chord}. Each is an immutable value that is sent with a {@link CanvasClient} and that
 * travels in messages as Celery's signature dict ({@link #toMap()}), so a workflow may pass through Celery
 * workers and ours alike.
 *
 * @param <R> the type of the workflow's result: the last task's for a chain, the body's for a chord, a list for
 * a group
 */
public sealed interface Canvas<R> permits Signature, Chain, Group, Chord {

	/**
	 * The options it is sent with, by Celery's names ({@code queue}, {@code countdown}, {@code task_id},
	 * {@code link}, ...).
	 * @return the options, read-only
	 */
	Map<String, @Nullable Object> options();

	/**
	 * The same, with one more option by Celery's name (the value is a plain value: a string, number, boolean,
	 * list or map).
	 * @param name the option's name, as {@code apply_async} takes it
	 * @param value its value, or {@code null} to remove it
	 * @return a new value
	 */
	Canvas<R> withOption(String name, @Nullable Object value);

	/**
	 * The same, sent with these options: the id, queue, countdown or eta, expiry, priority, headers, serializer
	 * and compression they set.
	 * @param options the options
	 * @return a new value
	 */
	Canvas<R> withOptions(SendOptions options);

	/**
	 * The same, with a callback applied once it succeeds, its result prepended to the callback's arguments unless
	 * the callback is {@link Signature#immutable() immutable} (Celery's {@code link}). On a chain it follows the
	 * last task, on a chord its body, on a group its first task (as Celery does: prefer a chord).
	 * @param callback what to apply
	 * @return a new value
	 */
	Canvas<R> onSuccess(Canvas<?> callback);

	/**
	 * The same, with an errback applied if it fails (Celery's {@code link_error}): on a chain or a group, to
	 * every task; on a chord, to its body. A Java errback task with more than one argument is called in the
	 * failing worker with the request, the failure and the traceback; any other is sent with the failed task's id.
	 * @param errback what to apply
	 * @return a new value
	 */
	Canvas<R> onError(Canvas<?> errback);

	/**
	 * The type its result is converted to when read.
	 * @return the result type
	 */
	Type resultType();

	/**
	 * Celery's dict of this signature: {@code {"task", "args", "kwargs", "options", "subtask_type", "immutable"}},
	 * in plain values (lists, maps, strings, numbers, booleans), ready to be serialized into a message.
	 * @return a new map
	 */
	Map<String, @Nullable Object> toMap();

	/**
	 * Read Celery's dict of a signature, as a message carries it ({@code callbacks}, {@code chain}, {@code chord},
	 * a chord's body...): a chain, group or chord by its {@code subtask_type}, else one task.
	 * @param map the dict
	 * @return the canvas, its result read as plain values (a list for a group)
	 * @throws IllegalArgumentException if the dict is no signature
	 */
	static Canvas<?> fromMap(Map<String, ?> map) {
		return CanvasMaps.read(map);
	}

	/**
	 * Read each of a list of Celery's signature dicts.
	 * @param maps the dicts, or {@code null}
	 * @return the canvases, in order; empty for {@code null}
	 * @throws IllegalArgumentException if one is no signature
	 */
	static List<Canvas<?>> fromMaps(@Nullable List<?> maps) {
		return CanvasMaps.readAll(maps);
	}

}
