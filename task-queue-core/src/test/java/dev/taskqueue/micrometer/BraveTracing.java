package dev.taskqueue.micrometer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;

/**
 * A tracer as an application has one: Brave behind Micrometer Tracing, W3C propagation, every span sampled
 * and kept in {@link #spans()}, and an observation registry whose handlers make spans of observations. One
 * instance stands for one application (one process).
 */
final class BraveTracing implements AutoCloseable {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final Tracing tracing;

	private final Tracer tracer;

	private final ObservationRegistry observations = ObservationRegistry.create();

	BraveTracing() {
		this.tracing = Tracing.newBuilder()
			.currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
			.propagationFactory(new W3CPropagation())
			.traceId128Bit(true)
			.supportsJoin(false)
			.sampler(Sampler.ALWAYS_SAMPLE)
			.addSpanHandler(new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					BraveTracing.this.spans.add(span);
					return true;
				}

			})
			.build();
		this.tracer = new BraveTracer(this.tracing.tracer(),
				new BraveCurrentTraceContext(this.tracing.currentTraceContext()), new BraveBaggageManager());
		BravePropagator propagator = new BravePropagator(this.tracing);
		this.observations.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
	}

	Tracer tracer() {
		return this.tracer;
	}

	ObservationRegistry observations() {
		return this.observations;
	}

	List<MutableSpan> spans() {
		return this.spans;
	}

	MutableSpan span(String name) {
		return this.spans.stream()
			.filter((span) -> name.equals(span.name()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span " + name + " in " + this.spans));
	}

	@Override
	public void close() {
		this.tracing.close();
	}

}
