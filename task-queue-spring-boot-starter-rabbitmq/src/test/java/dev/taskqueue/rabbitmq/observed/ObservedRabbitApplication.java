package dev.taskqueue.rabbitmq.observed;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.awaitility.Awaitility;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import dev.taskqueue.Task;


/**
 * An application with Spring Boot's metrics, observations and Brave tracing (W3C propagation, Boot's default),
 * for the tests that run a client application and a worker application on one RabbitMQ virtual host: each keeps the spans it
 * finished in its {@link Spans}.
 */
@SpringBootApplication
public class ObservedRabbitApplication {

	@Bean
	Spans spans() {
		return new Spans();
	}

	/**
	 * The spans this application finished, as a tracing backend would receive them.
	 */
	public static class Spans extends SpanHandler {

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
			return Awaitility.await().atMost(Duration.ofSeconds(10))
				.until(() -> this.finished.stream().filter((span) -> name.equals(span.name())).findFirst(),
						Optional::isPresent)
				.get();
		}

		public List<MutableSpan> finished() {
			return this.finished;
		}

	}

	/**
	 * Tasks that tell what they saw.
	 */
	@Component
	public static class ObservedTasks {

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

}
