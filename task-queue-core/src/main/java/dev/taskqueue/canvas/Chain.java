package dev.taskqueue.canvas;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;

/**
 * Tasks run one after the other, each result prepended to the next task's arguments: Celery's {@code chain}
 * ({@code add.s(2, 2) | add.s(4) | add.s(8)}). Only the first task is sent; the worker that runs it sends the
 * next, and so on, as Celery's workers do, so a chain may pass through Celery workers and ours.
 * <pre>{@code
 * Chain<Integer> sum = Chain.of(Signature.of(MathTasks::add, 2, 2))
 *         .then(Signature.partial(MathTasks::add, 4))
 *         .then(Signature.partial(MathTasks::add, 8));
 * AsyncResult<Integer> result = client.send(sum);   // 16
 * }</pre>
 * A {@link Group} followed by a task becomes a {@link Chord} when sent, as in Celery.
 *
 * @param <R> the last task's result type
 */
public final class Chain<R> implements Canvas<R> {

	private final List<Canvas<?>> tasks;

	private final Map<String, @Nullable Object> options;

	private final boolean immutable;

	private final Type resultType;

	private Chain(List<? extends Canvas<?>> tasks, Map<String, ?> options, boolean immutable, Type resultType) {
		this.tasks = List.copyOf(tasks);
		this.options = CanvasMaps.readOnly(options);
		this.immutable = immutable;
		this.resultType = resultType;
	}

	/**
	 * A chain that starts with one task; add the others with {@link #then}.
	 * @param <R> the task's result type
	 * @param first the first task
	 * @return the chain
	 */
	public static <R> Chain<R> of(Canvas<R> first) {
		return new Chain<>(List.of(first), Map.of(), false, first.resultType());
	}

	/**
	 * A chain of these tasks, in order.
	 * @param tasks the tasks, at least one
	 * @return the chain, its result read as plain values
	 */
	public static Chain<Object> of(Canvas<?>... tasks) {
		return of(List.of(tasks));
	}

	/**
	 * A chain of these tasks, in order.
	 * @param tasks the tasks, at least one
	 * @return the chain, its result read as plain values
	 */
	public static Chain<Object> of(List<? extends Canvas<?>> tasks) {
		if (tasks.isEmpty()) {
			throw new IllegalArgumentException("a chain needs at least one task");
		}
		return new Chain<>(tasks, Map.of(), false, Object.class);
	}

	static Chain<Object> of(List<? extends Canvas<?>> tasks, Map<String, ?> options, boolean immutable) {
		return new Chain<>(tasks, options, immutable, Object.class);
	}

	/**
	 * This chain followed by one more task (Celery's {@code chain | task}).
	 * @param <N> the next task's result type
	 * @param next the next task
	 * @return a new chain
	 */
	public <N> Chain<N> then(Canvas<N> next) {
		List<Canvas<?>> tasks = new ArrayList<>(this.tasks);
		tasks.add(next);
		return new Chain<>(tasks, this.options, this.immutable, next.resultType());
	}

	/**
	 * The same chain (options, immutability, result type) of other tasks.
	 * @param tasks the tasks, at least one
	 * @return a new chain
	 */
	public Chain<R> withTasks(List<? extends Canvas<?>> tasks) {
		if (tasks.isEmpty()) {
			throw new IllegalArgumentException("a chain needs at least one task");
		}
		return new Chain<>(tasks, this.options, this.immutable, this.resultType);
	}

	/**
	 * The tasks, in the order they run.
	 * @return the tasks
	 */
	public List<Canvas<?>> tasks() {
		return this.tasks;
	}

	/**
	 * Whether the chain ignores the arguments it is applied with (the previous result, when it is a callback).
	 * @return {@code true} if immutable
	 */
	public boolean isImmutable() {
		return this.immutable;
	}

	/**
	 * The same chain, ignoring a previous result when it is a callback or a step of another chain.
	 * @return a new chain
	 */
	public Chain<R> immutable() {
		return new Chain<>(this.tasks, this.options, true, this.resultType);
	}

	@Override
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	@Override
	public Type resultType() {
		return this.resultType;
	}

	@Override
	public Chain<R> withOption(String name, @Nullable Object value) {
		return new Chain<>(this.tasks, CanvasMaps.with(this.options, name, value), this.immutable, this.resultType);
	}

	@Override
	public Chain<R> withOptions(SendOptions options) {
		return new Chain<>(this.tasks, CanvasMaps.with(this.options, options), this.immutable, this.resultType);
	}

	/**
	 * The chain with a callback after its last task.
	 */
	@Override
	public Chain<R> onSuccess(Canvas<?> callback) {
		List<Canvas<?>> tasks = new ArrayList<>(this.tasks);
		tasks.set(tasks.size() - 1, tasks.get(tasks.size() - 1).onSuccess(callback));
		return new Chain<>(tasks, this.options, this.immutable, this.resultType);
	}

	/**
	 * The chain with an errback on every task: whichever fails calls it.
	 */
	@Override
	public Chain<R> onError(Canvas<?> errback) {
		List<Canvas<?>> tasks = new ArrayList<>(this.tasks.size());
		this.tasks.forEach((task) -> tasks.add(task.onError(errback)));
		return new Chain<>(tasks, this.options, this.immutable, this.resultType);
	}

	/**
	 * The same chain, its result read as another type.
	 * @param <U> the type
	 * @param type the result's class
	 * @return a new chain
	 */
	public <U> Chain<U> as(Class<U> type) {
		return new Chain<>(this.tasks, this.options, this.immutable, type);
	}

	@Override
	public Map<String, @Nullable Object> toMap() {
		return CanvasMaps.dict("celery.chain", List.of(), Map.of("tasks", CanvasMaps.dicts(this.tasks)), this.options,
				"chain", this.immutable);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Chain<?> that && this.tasks.equals(that.tasks) && this.options.equals(that.options)
				&& this.immutable == that.immutable;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.tasks, this.options, this.immutable);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		this.tasks.forEach((task) -> text.append((text.length() > 0) ? " | " : "").append(task));
		return text.toString();
	}

}
