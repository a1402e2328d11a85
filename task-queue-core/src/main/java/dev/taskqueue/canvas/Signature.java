package dev.taskqueue.canvas;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskReference;
import dev.taskqueue.protocol.PythonRepr;
import dev.taskqueue.registry.TaskNames;
import dev.taskqueue.registry.TaskReferences;

/**
 * One task with its arguments and options, not sent yet: Celery's {@code signature} ({@code add.s(2, 2)}).
 * An immutable value; made by name or, type-safely, from a method reference to a {@code @Task} method:
 * <pre>{@code
 * Signature<Object> byName = Signature.of("tasks.add", 2, 2);
 * Signature<Integer> typed = Signature.of(MathTasks::add, 2, 2);
 * Signature<Integer> plusFour = Signature.partial(MathTasks::add, 4);   // add(<previous result>, 4) in a chain
 * Signature<Void> audit = Signature.of("audit.log", "done").immutable(); // ignores the previous result
 * }</pre>
 * In a {@link Chain} or as a callback, the previous result is prepended to its arguments unless it is
 * {@link #immutable() immutable} (Celery's {@code .si()}).
 *
 * @param <R> the type its result is read as
 */
public final class Signature<R> implements Canvas<R> {

	private final String task;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	private final Map<String, @Nullable Object> options;

	private final boolean immutable;

	private final @Nullable String subtaskType;

	private final Type resultType;

	private Signature(String task, List<?> args, Map<String, ?> kwargs, Map<String, ?> options, boolean immutable,
			@Nullable String subtaskType, Type resultType) {
		if (task == null || task.isEmpty()) {
			throw new IllegalArgumentException("a signature needs a task name");
		}
		this.task = task;
		this.args = CanvasMaps.readOnly(args);
		this.kwargs = CanvasMaps.readOnly(kwargs);
		this.options = CanvasMaps.readOnly(options);
		this.immutable = immutable;
		this.subtaskType = subtaskType;
		this.resultType = resultType;
	}

	static <R> Signature<R> of(String task, List<?> args, Map<String, ?> kwargs, Map<String, ?> options,
			boolean immutable, @Nullable String subtaskType, Type resultType) {
		return new Signature<>(task, args, kwargs, options, immutable, subtaskType, resultType);
	}

	/**
	 * A task by name, with positional arguments.
	 * @param task the task's name
	 * @param args its arguments
	 * @return the signature, its result read as plain values
	 */
	public static Signature<Object> of(String task, @Nullable Object... args) {
		return new Signature<>(task, Arrays.asList(args), Map.of(), Map.of(), false, null, Object.class);
	}

	/**
	 * A task by name, with positional and keyword arguments.
	 * @param task the task's name
	 * @param args its positional arguments
	 * @param kwargs its keyword arguments
	 * @return the signature, its result read as plain values
	 */
	public static Signature<Object> of(String task, List<?> args, Map<String, ?> kwargs) {
		return new Signature<>(task, args, kwargs, Map.of(), false, null, Object.class);
	}

	/**
	 * The task a method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @return the signature
	 */
	public static <T, R> Signature<R> of(TaskReference.Returning0<T, R> task) {
		return typed(task);
	}

	/**
	 * The task a method reference names, with its argument.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @return the signature
	 */
	public static <T, A, R> Signature<R> of(TaskReference.Returning1<T, A, R> task, A a) {
		return typed(task, a);
	}

	/**
	 * The task a method reference names, with its arguments.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @return the signature
	 */
	public static <T, A, B, R> Signature<R> of(TaskReference.Returning2<T, A, B, R> task, A a, B b) {
		return typed(task, a, b);
	}

	/**
	 * The task a method reference names, with its arguments.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @return the signature
	 */
	public static <T, A, B, C, R> Signature<R> of(TaskReference.Returning3<T, A, B, C, R> task, A a, B b, C c) {
		return typed(task, a, b, c);
	}

	/**
	 * The task a method reference names, with its arguments.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @param d argument 4
	 * @return the signature
	 */
	public static <T, A, B, C, D, R> Signature<R> of(TaskReference.Returning4<T, A, B, C, D, R> task, A a, B b, C c,
			D d) {
		return typed(task, a, b, c, d);
	}

	/**
	 * The task a method reference names (a task with no result), with its argument.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @return the signature
	 */
	public static <T, A> Signature<Void> of(TaskReference.Void1<T, A> task, A a) {
		return typed(task, a);
	}

	/**
	 * The task a method reference names (a task with no result), with its arguments.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @return the signature
	 */
	public static <T, A, B> Signature<Void> of(TaskReference.Void2<T, A, B> task, A a, B b) {
		return typed(task, a, b);
	}

	/**
	 * A task whose only argument is the previous result in a chain, or the result a callback receives.
	 * @param <T> the bean type declaring the task
	 * @param <A> the argument's type: the previous task's result
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @return the signature, with no argument of its own
	 */
	public static <T, A, R> Signature<R> partial(TaskReference.Returning1<T, A, R> task) {
		return typed(task);
	}

	/**
	 * A task whose first argument is the previous result in a chain, given its second (Celery's
	 * {@code add.s(4)} in {@code add.s(2, 2) | add.s(4)}).
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type: the previous task's result
	 * @param <B> argument 2's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param b argument 2
	 * @return the signature
	 */
	public static <T, A, B, R> Signature<R> partial(TaskReference.Returning2<T, A, B, R> task, B b) {
		return typed(task, b);
	}

	/**
	 * A task whose first argument is the previous result in a chain, given the others.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type: the previous task's result
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param b argument 2
	 * @param c argument 3
	 * @return the signature
	 */
	public static <T, A, B, C, R> Signature<R> partial(TaskReference.Returning3<T, A, B, C, R> task, B b, C c) {
		return typed(task, b, c);
	}

	/**
	 * A task with no result whose only argument is the previous result (a callback, say).
	 * @param <T> the bean type declaring the task
	 * @param <A> the argument's type: the previous task's result
	 * @param task the task method, as {@code Bean::method}
	 * @return the signature
	 */
	public static <T, A> Signature<Void> partial(TaskReference.Void1<T, A> task) {
		return typed(task);
	}

	/**
	 * A task with no result whose first argument is the previous result, given its second.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type: the previous task's result
	 * @param <B> argument 2's type
	 * @param task the task method, as {@code Bean::method}
	 * @param b argument 2
	 * @return the signature
	 */
	public static <T, A, B> Signature<Void> partial(TaskReference.Void2<T, A, B> task, B b) {
		return typed(task, b);
	}

	/**
	 * Celery's {@code task.map(items)}: one task, {@code celery.map}, that calls {@code task} on each item in
	 * turn in one worker, and returns their results as a list. The task must run where the map runs.
	 * @param task the task called on each item (its own arguments are ignored)
	 * @param items the items
	 * @return the signature of the map
	 */
	public static Signature<List<Object>> map(Signature<?> task, List<?> items) {
		return builtin("celery.map", task, items);
	}

	/**
	 * Celery's {@code task.starmap(items)}: as {@link #map}, each item being the arguments of one call.
	 * @param task the task called with each item's arguments
	 * @param items the argument lists
	 * @return the signature of the map
	 */
	public static Signature<List<Object>> starmap(Signature<?> task, List<? extends List<?>> items) {
		return builtin("celery.starmap", task, items);
	}

	/**
	 * Celery's {@code task.chunks(items, n)}: the items split into chunks of {@code n}, each chunk a
	 * {@link #starmap} run by one worker, all in a group, whose result is a list of each chunk's list.
	 * @param task the task called with each item's arguments
	 * @param items the argument lists
	 * @param n how many items a chunk holds
	 * @return the group of starmaps, as Celery's {@code chunks.group()}
	 */
	public static Group chunks(Signature<?> task, List<? extends List<?>> items, int n) {
		if (n < 1) {
			throw new IllegalArgumentException("a chunk holds at least one item, was " + n);
		}
		List<Canvas<?>> parts = new ArrayList<>();
		for (int from = 0; from < items.size(); from += n) {
			parts.add(starmap(task, items.subList(from, Math.min(items.size(), from + n))));
		}
		return Group.of(parts);
	}

	private static Signature<List<Object>> builtin(String name, Signature<?> task, List<?> items) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("task", task.toMap());
		kwargs.put("it", new ArrayList<>(items));
		return new Signature<>(name, List.of(), kwargs, Map.of(), true, null, List.class);
	}

	private static <R> Signature<R> typed(TaskReference reference, @Nullable Object... args) {
		Method method = TaskReferences.resolve(reference);
		return new Signature<>(TaskNames.of(method), Arrays.asList(args), Map.of(), Map.of(), false, null,
				method.getGenericReturnType());
	}

	/**
	 * The task's name.
	 * @return the name
	 */
	public String task() {
		return this.task;
	}

	/**
	 * Its positional arguments (plain values, or values the serializer writes).
	 * @return the arguments, read-only
	 */
	public List<@Nullable Object> args() {
		return this.args;
	}

	/**
	 * Its keyword arguments.
	 * @return the keyword arguments, read-only
	 */
	public Map<String, @Nullable Object> kwargs() {
		return this.kwargs;
	}

	@Override
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	/**
	 * Whether the previous result is not prepended to its arguments (Celery's {@code immutable}).
	 * @return {@code true} if immutable
	 */
	public boolean isImmutable() {
		return this.immutable;
	}

	/**
	 * Celery's {@code subtask_type} of a signature read from a message that is no chain, group or chord, else
	 * {@code null}.
	 * @return the type, usually {@code null}
	 */
	public @Nullable String subtaskType() {
		return this.subtaskType;
	}

	@Override
	public Type resultType() {
		return this.resultType;
	}

	/**
	 * The same, that ignores the previous result in a chain or as a callback (Celery's {@code .si()}).
	 * @return a new signature
	 */
	public Signature<R> immutable() {
		return new Signature<>(this.task, this.args, this.kwargs, this.options, true, this.subtaskType,
				this.resultType);
	}

	/**
	 * The same with other positional arguments.
	 * @param args the arguments
	 * @return a new signature
	 */
	public Signature<R> withArgs(@Nullable Object... args) {
		return new Signature<>(this.task, Arrays.asList(args), this.kwargs, this.options, this.immutable,
				this.subtaskType, this.resultType);
	}

	/**
	 * The same with other keyword arguments.
	 * @param kwargs the keyword arguments
	 * @return a new signature
	 */
	public Signature<R> withKwargs(Map<String, ?> kwargs) {
		return new Signature<>(this.task, this.args, kwargs, this.options, this.immutable, this.subtaskType,
				this.resultType);
	}

	/**
	 * The same with arguments given in front of its own, unless it is immutable (Celery's {@code clone(args)}):
	 * what a chain or a callback does with the previous result.
	 * @param partialArgs the arguments to prepend
	 * @return a new signature, or this one if immutable or nothing is prepended
	 */
	public Signature<R> prepend(List<?> partialArgs) {
		if (this.immutable || partialArgs.isEmpty()) {
			return this;
		}
		List<@Nullable Object> merged = new ArrayList<>(partialArgs.size() + this.args.size());
		merged.addAll(partialArgs);
		merged.addAll(this.args);
		return new Signature<>(this.task, merged, this.kwargs, this.options, this.immutable, this.subtaskType,
				this.resultType);
	}

	/**
	 * The same, its result read as another type.
	 * @param <U> the type
	 * @param type the result's class
	 * @return a new signature
	 */
	public <U> Signature<U> as(Class<U> type) {
		return new Signature<>(this.task, this.args, this.kwargs, this.options, this.immutable, this.subtaskType,
				type);
	}

	@Override
	public Signature<R> withOption(String name, @Nullable Object value) {
		return withOptionsMap(CanvasMaps.with(this.options, name, value));
	}

	@Override
	public Signature<R> withOptions(SendOptions options) {
		return withOptionsMap(CanvasMaps.with(this.options, options));
	}

	/**
	 * The same, with these options (by Celery's names) merged over its own.
	 * @param options the options
	 * @return a new signature
	 */
	public Signature<R> withOptions(Map<String, ?> options) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.options);
		merged.putAll(options);
		return withOptionsMap(merged);
	}

	@Override
	public Signature<R> onSuccess(Canvas<?> callback) {
		return withOptionsMap(CanvasMaps.appended(this.options, CanvasMaps.LINK, callback));
	}

	@Override
	public Signature<R> onError(Canvas<?> errback) {
		return withOptionsMap(CanvasMaps.appended(this.options, CanvasMaps.LINK_ERROR, errback));
	}

	private Signature<R> withOptionsMap(Map<String, ?> options) {
		return new Signature<>(this.task, this.args, this.kwargs, options, this.immutable, this.subtaskType,
				this.resultType);
	}

	@Override
	public Map<String, @Nullable Object> toMap() {
		return CanvasMaps.dict(this.task, this.args, this.kwargs, this.options, this.subtaskType, this.immutable);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Signature<?> that && this.task.equals(that.task) && this.args.equals(that.args)
				&& this.kwargs.equals(that.kwargs) && this.options.equals(that.options)
				&& this.immutable == that.immutable && Objects.equals(this.subtaskType, that.subtaskType)
				&& this.resultType.equals(that.resultType);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.task, this.args, this.kwargs, this.options, this.immutable);
	}

	/**
	 * As Celery shows a signature: {@code tasks.add(2, 2)}, with {@code si} marked.
	 */
	@Override
	public String toString() {
		String args = PythonRepr.ofArgs(this.args);
		String inner = args.substring(1, args.length() - 1).replaceAll(",$", "");
		String kwargs = this.kwargs.isEmpty() ? "" : ((inner.isEmpty() ? "" : ", ") + kwargsText());
		return (this.immutable ? "%" : "") + this.task + "(" + inner + kwargs + ")";
	}

	private String kwargsText() {
		StringBuilder text = new StringBuilder();
		this.kwargs.forEach((name, value) -> text.append((text.length() > 0) ? ", " : "").append(name).append('=')
			.append(PythonRepr.of(value)));
		return text.toString();
	}

}
