package dev.taskqueue.micrometer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import dev.taskqueue.Task;

/**
 * Tasks that tell what they saw, for the metrics and tracing tests: the in-memory ones here and the starters'
 * (through {@link ObservedConfiguration}).
 */
public class ObservedTasks {

	private final Tracer tracer;

	public ObservedTasks(Tracer tracer) {
		this.tracer = tracer;
	}

	/**
	 * The span current in the task's code.
	 * @return its trace id and span id, as {@code trace/span}, or {@code none}
	 */
	@Task("observed.current-span")
	public String currentSpan() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? span.context().traceId() + "/" + span.context().spanId() : "none";
	}

	@Task("observed.add")
	public long add(long x, long y) {
		return x + y;
	}

	@Task("observed.fail")
	public void fail(String message) {
		throw new IllegalStateException(message);
	}

}
