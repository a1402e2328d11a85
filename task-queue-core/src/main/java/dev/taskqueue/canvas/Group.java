package dev.taskqueue.canvas;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;

/**
 * Tasks run in parallel, their results read together: Celery's {@code group}. Sent with a {@link CanvasClient},
 * each task is published with the group's id, and a {@link GroupResult} comes back.
 * <pre>{@code
 * GroupResult squares = client.send(Group.of(Signature.of(MathTasks::square, 1), Signature.of(MathTasks::square, 2)));
 * List<Object> values = squares.get(Duration.ofSeconds(10));   // [1, 4]
 * }</pre>
 * A group nested in a group is unrolled into it, as Celery does; a group followed by a task in a {@link Chain}
 * becomes a {@link Chord}.
 */
public final class Group implements Canvas<List<Object>> {

	private final List<Canvas<?>> tasks;

	private final Map<String, @Nullable Object> options;

	private Group(List<? extends Canvas<?>> tasks, Map<String, ?> options) {
		this.tasks = List.copyOf(tasks);
		this.options = CanvasMaps.readOnly(options);
	}

	/**
	 * A group of these tasks.
	 * @param tasks the tasks
	 * @return the group
	 */
	public static Group of(Canvas<?>... tasks) {
		return new Group(List.of(tasks), Map.of());
	}

	/**
	 * A group of these tasks.
	 * @param tasks the tasks
	 * @return the group
	 */
	public static Group of(List<? extends Canvas<?>> tasks) {
		return new Group(tasks, Map.of());
	}

	static Group of(List<? extends Canvas<?>> tasks, Map<String, ?> options) {
		return new Group(tasks, options);
	}

	/**
	 * The same group (its options) of other tasks.
	 * @param tasks the tasks
	 * @return a new group
	 */
	public Group withTasks(List<? extends Canvas<?>> tasks) {
		return new Group(tasks, this.options);
	}

	/**
	 * The tasks.
	 * @return the tasks, in order
	 */
	public List<Canvas<?>> tasks() {
		return this.tasks;
	}

	/**
	 * The same group, each task ignoring the arguments the group is applied with (Celery's
	 * {@code group.set_immutable(True)}).
	 * @return a new group
	 */
	public Group immutable() {
		List<Canvas<?>> tasks = new ArrayList<>(this.tasks.size());
		this.tasks.forEach((task) -> tasks.add(CanvasMaps.immutable(task)));
		return new Group(tasks, this.options);
	}

	@Override
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	@Override
	public Type resultType() {
		return List.class;
	}

	@Override
	public Group withOption(String name, @Nullable Object value) {
		return new Group(this.tasks, CanvasMaps.with(this.options, name, value));
	}

	@Override
	public Group withOptions(SendOptions options) {
		return new Group(this.tasks, CanvasMaps.with(this.options, options));
	}

	/**
	 * As Celery: the callback follows the first task, made immutable, since a group has no result of its own to
	 * give it; to follow the whole group, make a {@link Chord}.
	 */
	@Override
	public Group onSuccess(Canvas<?> callback) {
		if (this.tasks.isEmpty()) {
			throw new IllegalStateException("an empty group has no task to link a callback to");
		}
		List<Canvas<?>> tasks = new ArrayList<>(this.tasks);
		tasks.set(0, tasks.get(0).onSuccess(CanvasMaps.immutable(callback)));
		return new Group(tasks, this.options);
	}

	/**
	 * The errback on every task: whichever fails calls it.
	 */
	@Override
	public Group onError(Canvas<?> errback) {
		List<Canvas<?>> tasks = new ArrayList<>(this.tasks.size());
		this.tasks.forEach((task) -> tasks.add(task.onError(errback)));
		return new Group(tasks, this.options);
	}

	@Override
	public Map<String, @Nullable Object> toMap() {
		return CanvasMaps.dict("celery.group", List.of(), Map.of("tasks", CanvasMaps.dicts(this.tasks)), this.options,
				"group", false);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Group that && this.tasks.equals(that.tasks) && this.options.equals(that.options);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.tasks, this.options);
	}

	@Override
	public String toString() {
		return "group(" + this.tasks + ")";
	}

}
