package dev.taskqueue.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import org.awaitility.Awaitility;

/**
 * The spans an application finished, as a tracing backend would receive them: a Brave {@link SpanHandler} that
 * Spring Boot's Brave tracing adds to its tracer when it is a bean.
 */
public class FinishedSpans extends SpanHandler {

	private final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

	@Override
	public boolean end(TraceContext context, MutableSpan span, Cause cause) {
		this.finished.add(span);
		return true;
	}

	/**
	 * Wait for a span to be finished.
	 * @param name its name
	 * @return the span
	 */
	public MutableSpan await(String name) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.finished.stream().filter((span) -> name.equals(span.name())).findFirst(),
					Optional::isPresent)
			.get();
	}

	public List<MutableSpan> finished() {
		return this.finished;
	}

}
