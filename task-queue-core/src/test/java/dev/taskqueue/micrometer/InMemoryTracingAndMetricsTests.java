package dev.taskqueue.micrometer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import brave.Span.Kind;
import brave.handler.MutableSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskState;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.worker.TaskProcessor;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics and tracing through the real client and workers on the in-memory broker, the sender and the worker each
 * with a tracer and a meter registry of its own, as two applications would have them.
 */
class InMemoryTracingAndMetricsTests {

	private static final String QUEUE = "observed";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofMinutes(5), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final BraveTracing senderTracing = new BraveTracing();

	private final BraveTracing workerTracing = new BraveTracing();

	private final MeterRegistry senderMeters = new SimpleMeterRegistry();

	private final MeterRegistry workerMeters = new SimpleMeterRegistry();

	private final TaskTemplate client = TaskTemplate
		.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
				this.results)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.listeners(List.of(new ObservationTaskListener(this.senderTracing.observations(), this.registry),
				new TaskMetricsListener(this.senderMeters, this.registry, this.clock)))
		.build();

	private final Workers workers;

	InMemoryTracingAndMetricsTests() {
		new TaskAnnotationBeanPostProcessor(this.registry)
			.postProcessAfterInitialization(new ObservedTasks(this.workerTracing.tracer()), "tasks");
		TaskProcessor processor = TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.hostname("observed@test")
			.listeners(List.of(new ObservationTaskListener(this.workerTracing.observations(), this.registry),
					new TaskMetricsListener(this.workerMeters, this.registry, this.clock)))
			.build();
		this.workers = Workers.builder(this.broker, processor)
			.group(new WorkerSettings("observed@test", List.of(QUEUE), 2, 4, Duration.ofSeconds(5)))
			.build();
		this.workers.start();
	}

	@AfterEach
	void stop() {
		this.workers.stop();
		this.broker.close();
		this.senderTracing.close();
		this.workerTracing.close();
	}

	@Test
	void aSendAndTheRunItCausesAreOneTrace() {
		Tracer tracer = this.senderTracing.tracer();
		Span request = tracer.nextSpan().name("request").start();
		AsyncResult<Object> result;
		try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
			result = this.client.send("observed.current-span");
		}
		request.end();
		Object seenByTask = result.get(Duration.ofSeconds(10));

		MutableSpan publish = this.senderTracing.span("publish observed.current-span");
		MutableSpan process = await().atMost(Duration.ofSeconds(5))
			.until(() -> this.workerTracing.spans().stream().findFirst(), Optional::isPresent)
			.get();
		assertThat(publish.kind()).isEqualTo(Kind.PRODUCER);
		assertThat(publish.traceId()).isEqualTo(request.context().traceId());
		assertThat(publish.parentId()).isEqualTo(request.context().spanId());
		assertThat(process.name()).isEqualTo("process observed.current-span");
		assertThat(process.kind()).isEqualTo(Kind.CONSUMER);
		assertThat(process.traceId()).isEqualTo(publish.traceId());
		assertThat(process.parentId()).isEqualTo(publish.id());
		assertThat(process.tags()).containsEntry("outcome", "success").containsEntry("queue", QUEUE);
		assertThat(seenByTask).isEqualTo(process.traceId() + "/" + process.id());
	}

	@Test
	void runsAreCountedAndTimedByOutcomeOnTheWorkerAndSendsOnTheSender() {
		List<AsyncResult<Object>> sent = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			sent.add(this.client.send("observed.add", i, 1));
		}
		AsyncResult<Object> failed = this.client.send("observed.fail", "no");
		sent.forEach((result) -> result.get(Duration.ofSeconds(10)));
		await().atMost(Duration.ofSeconds(10)).until(() -> failed.state() == TaskState.FAILURE);

		assertThat(this.senderMeters.get(TaskMetricsListener.SENT).tags("task", "observed.add", "queue", QUEUE)
			.counter()
			.count()).isEqualTo(10);
		assertThat(this.workerMeters.get(TaskMetricsListener.RECEIVED).tags("task", "observed.add").counter().count())
			.isEqualTo(10);
		assertThat(this.workerMeters.get(TaskMetricsListener.EXECUTION)
			.tags("task", "observed.add", "queue", QUEUE, "outcome", "success")
			.timer()
			.count()).isEqualTo(10);
		assertThat(this.workerMeters.get(TaskMetricsListener.EXECUTION)
			.tags("task", "observed.fail", "outcome", "failure")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.workerMeters.get(TaskMetricsListener.WAIT).tags("task", "observed.add").timer().count())
			.isEqualTo(10);
		assertThat(this.workerMeters.get(TaskMetricsListener.WAIT).timer().max(TimeUnit.SECONDS)).isLessThan(10);
		assertThat(this.workerMeters.get(TaskMetricsListener.ACTIVE).gauge().value()).isZero();
		assertThat(this.workerTracing.span("process observed.fail").error()).hasMessage("no");
	}

	@Test
	void aMessageNamingATaskNobodyRunsIsCountedAsRejectedUnderUnknown() {
		this.client.send("nobody.runs.this", 1);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.workerMeters.get(TaskMetricsListener.EXECUTION)
				.tags("task", "unknown", "outcome", "rejected")
				.timer()
				.count()).isEqualTo(1));
		assertThat(this.senderMeters.get(TaskMetricsListener.SENT).tags("task", "unknown").counter().count())
			.isEqualTo(1);
		assertThat(this.workerTracing.spans()).as("a message that is not run has no process span").isEmpty();
	}

}
