package dev.taskqueue.canvas;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.SendOptions;

/**
 * A group whose results, in the group's order, are given as one list to a body task once every task of the
 * group has finished: Celery's {@code chord(header)(body)}.
 * <pre>{@code
 * Chord<Integer> total = Chord.of(Group.of(Signature.of(MathTasks::add, 1, 1), Signature.of(MathTasks::add, 2, 2)),
 *         Signature.partial(MathTasks::sum));
 * AsyncResult<Integer> result = client.send(total);   // sum([2, 4]) = 6
 * }</pre>
 * The header is joined as the result backend joins it in Celery: on Redis, each header task adds its result to
 * {@code celery-taskset-meta-<group id>.j} and the one that completes the header sends the body, exactly once;
 * on a backend without such counters the client sends Celery's {@code celery.chord_unlock}, which polls the
 * header's results. If a header task fails, the body is not run: it fails with Celery's {@code ChordError}, and
 * its errbacks are called. The {@code rpc} backend cannot carry chords, as in Celery.
 *
 * @param <R> the body's result type
 */
public final class Chord<R> implements Canvas<R> {

	private final Group header;

	private final Canvas<R> body;

	private final Map<String, @Nullable Object> options;

	private Chord(Group header, Canvas<R> body, Map<String, ?> options) {
		this.header = header;
		this.body = body;
		this.options = CanvasMaps.readOnly(options);
	}

	/**
	 * A chord of a header and a body.
	 * @param <R> the body's result type
	 * @param header the tasks run in parallel
	 * @param body the task given the list of their results
	 * @return the chord
	 */
	public static <R> Chord<R> of(Group header, Canvas<R> body) {
		return new Chord<>(header, body, Map.of());
	}

	static <R> Chord<R> of(Group header, Canvas<R> body, Map<String, ?> options) {
		return new Chord<>(header, body, options);
	}

	/**
	 * The same chord (its options) of another header and body.
	 * @param <N> the new body's result type
	 * @param header the header
	 * @param body the body
	 * @return a new chord
	 */
	public <N> Chord<N> with(Group header, Canvas<N> body) {
		return new Chord<>(header, body, this.options);
	}

	/**
	 * The header: the tasks run in parallel.
	 * @return the header
	 */
	public Group header() {
		return this.header;
	}

	/**
	 * The body: the task given the list of the header's results.
	 * @return the body
	 */
	public Canvas<R> body() {
		return this.body;
	}

	@Override
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	@Override
	public Type resultType() {
		return this.body.resultType();
	}

	@Override
	public Chord<R> withOption(String name, @Nullable Object value) {
		return new Chord<>(this.header, this.body, CanvasMaps.with(this.options, name, value));
	}

	@Override
	public Chord<R> withOptions(SendOptions options) {
		return new Chord<>(this.header, this.body, CanvasMaps.with(this.options, options));
	}

	/**
	 * The chord with a callback after its body.
	 */
	@Override
	public Chord<R> onSuccess(Canvas<?> callback) {
		return new Chord<>(this.header, uncheckedBody(this.body.onSuccess(callback)), this.options);
	}

	/**
	 * The chord with an errback on its body, called if the body fails or cannot run because a header task failed.
	 */
	@Override
	public Chord<R> onError(Canvas<?> errback) {
		return new Chord<>(this.header, uncheckedBody(this.body.onError(errback)), this.options);
	}

	@SuppressWarnings("unchecked")
	private Canvas<R> uncheckedBody(Canvas<?> body) {
		return (Canvas<R>) body;
	}

	@Override
	public Map<String, @Nullable Object> toMap() {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("kwargs", Map.of());
		kwargs.put("header", CanvasMaps.dicts(this.header.tasks()));
		kwargs.put("body", this.body.toMap());
		return CanvasMaps.dict("celery.chord", List.of(), kwargs, this.options, "chord", false);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Chord<?> that && this.header.equals(that.header) && this.body.equals(that.body)
				&& this.options.equals(that.options);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.header, this.body, this.options);
	}

	@Override
	public String toString() {
		return "chord(" + this.header.tasks() + ", " + this.body + ")";
	}

}
