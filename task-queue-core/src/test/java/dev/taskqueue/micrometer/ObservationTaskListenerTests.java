package dev.taskqueue.micrometer;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import brave.Span.Kind;
import brave.handler.MutableSpan;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.registry.TaskRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing through the listener's moments, as a sender and a worker in two processes see them: the sender's
 * publish puts W3C trace context into the message headers, and the run of the message a worker received from
 * them is the child of the publish, in scope on the task's thread.
 */
class ObservationTaskListenerTests {

	private static final String ADD = "tasks.add";

	private final TaskRegistry tasks = TaskMetricsListenerTests.registry();

	private final BraveTracing sender = new BraveTracing();

	private final BraveTracing worker = new BraveTracing();

	private final ObservationTaskListener sending = new ObservationTaskListener(this.sender.observations(), this.tasks);

	private final ObservationTaskListener working = new ObservationTaskListener(this.worker.observations(), this.tasks);

	private final ExecutorService workerThread = Executors.newSingleThreadExecutor();

	@AfterEach
	void close() throws InterruptedException {
		this.workerThread.shutdownNow();
		this.workerThread.awaitTermination(5, TimeUnit.SECONDS);
		this.sender.close();
		this.worker.close();
	}

	@Test
	void aSendAndTheRunItCausesAreOneTrace() throws Exception {
		Span request = this.sender.tracer().nextSpan().name("request").start();
		Map<String, Object> headers = new HashMap<>();
		try (Tracer.SpanInScope scope = this.sender.tracer().withSpan(request)) {
			publish(ADD, headers, null);
		}
		request.end();
		assertThat(headers).containsKey("traceparent");

		AtomicReference<Span> seenByTask = new AtomicReference<>();
		run(ADD, headers, TaskOutcome.SUCCESS, () -> seenByTask.set(this.worker.tracer().currentSpan()));

		MutableSpan publish = this.sender.span("publish " + ADD);
		MutableSpan process = this.worker.span("process " + ADD);
		assertThat(publish.traceId()).isEqualTo(request.context().traceId());
		assertThat(publish.parentId()).isEqualTo(request.context().spanId());
		assertThat(publish.kind()).isEqualTo(Kind.PRODUCER);
		assertThat(process.kind()).isEqualTo(Kind.CONSUMER);
		assertThat(process.traceId()).isEqualTo(publish.traceId());
		assertThat(process.parentId()).isEqualTo(publish.id());
		assertThat(seenByTask.get()).as("the span current in the task's code").isNotNull();
		assertThat(seenByTask.get().context().spanId()).isEqualTo(process.id());
	}

	@Test
	void spansCarryTheTaskTheQueueTheOutcomeAndTheTaskId() throws Exception {
		Map<String, Object> headers = new HashMap<>();
		TaskEvent sent = publish(ADD, headers, null);
		run(ADD, headers, TaskOutcome.RETRY, () -> {
		});

		assertThat(this.sender.span("publish " + ADD).tags()).containsEntry("task", ADD)
			.containsEntry("queue", "math")
			.containsEntry("messaging.message.id", sent.taskId());
		assertThat(this.worker.span("process " + ADD).tags()).containsEntry("task", ADD)
			.containsEntry("queue", "math")
			.containsEntry("outcome", "retry");
	}

	@Test
	void aTaskNameTheApplicationDoesNotKnowIsUnknownInTheKeyValuesButNamesTheSpan() {
		publish("celery.side.resize", new HashMap<>(), null);

		assertThat(this.sender.span("publish celery.side.resize").tags()).containsEntry("task", "unknown");
	}

	@Test
	void aPublishTheBrokerRefusedEndsInError() {
		publish(ADD, new HashMap<>(), new IllegalStateException("broker away"));

		assertThat(this.sender.span("publish " + ADD).error()).hasMessage("broker away");
	}

	@Test
	void aFailedTaskEndsItsSpanInErrorWithItsException() throws Exception {
		Map<String, Object> headers = new HashMap<>();
		publish(ADD, headers, null);
		TaskEvent task = received(ADD, headers);
		this.workerThread.submit(() -> {
			task.markStarted();
			this.working.prerun(task);
			this.working.failed(task, new ArithmeticException("/ by zero"));
			task.markFinished();
			this.working.postrun(task, TaskOutcome.FAILURE);
		}).get(5, TimeUnit.SECONDS);

		MutableSpan process = this.worker.span("process " + ADD);
		assertThat(process.error()).isInstanceOf(ArithmeticException.class);
		assertThat(process.tags()).containsEntry("outcome", "failure");
	}

	@Test
	void aMessageFromAnotherTracerJoinsItsTrace() throws Exception {
		// as a Python producer with opentelemetry-instrumentation-celery writes it
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		Map<String, Object> headers = Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
		run(ADD, headers, TaskOutcome.SUCCESS, () -> {
		});

		MutableSpan process = this.worker.span("process " + ADD);
		assertThat(process.traceId()).isEqualTo(traceId);
		assertThat(process.parentId()).isEqualTo("00f067aa0ba902b7");
	}

	@Test
	void aRunEndedOnAnotherThreadDoesNotBecomeTheParentOfTheNextTaskOnItsThread() throws Exception {
		TaskEvent limited = received(ADD, Map.of());
		this.workerThread.submit(() -> {
			limited.markStarted();
			this.working.prerun(limited);
		}).get(5, TimeUnit.SECONDS);
		// the hard time limit: failure and postrun on the time limiter's thread
		CompletableFuture.runAsync(() -> {
			this.working.failed(limited, new IllegalStateException("hard time limit"));
			limited.markFinished();
			this.working.postrun(limited, TaskOutcome.FAILURE);
		}).get(5, TimeUnit.SECONDS);
		assertThat(this.worker.span("process " + ADD).tags()).containsEntry("outcome", "failure");

		AtomicReference<@Nullable Span> before = new AtomicReference<>();
		TaskEvent next = received(ADD, Map.of());
		this.workerThread.submit(() -> {
			next.markStarted();
			this.working.prerun(next);
			next.markFinished();
			this.working.postrun(next, TaskOutcome.SUCCESS);
			before.set(this.worker.tracer().currentSpan());
		}).get(5, TimeUnit.SECONDS);

		assertThat(this.worker.spans()).hasSize(2);
		MutableSpan second = this.worker.spans().get(1);
		assertThat(second.parentId()).isNull();
		assertThat(second.traceId()).isNotEqualTo(this.worker.spans().get(0).traceId());
		assertThat(before.get()).as("nothing left in scope on the worker's thread").isNull();
	}

	@Test
	void withTheNoopRegistryNothingIsObservedOrAdded() {
		ObservationTaskListener noop = new ObservationTaskListener(ObservationRegistry.NOOP, this.tasks);
		Map<String, Object> headers = new HashMap<>();
		TaskEvent task = event(ADD, headers);
		noop.beforePublish(task, headers);
		noop.afterPublish(task, null);
		task.markStarted();
		noop.prerun(task);
		noop.postrun(task, TaskOutcome.SUCCESS);

		assertThat(headers).isEmpty();
		assertThat(task.attributes()).isEmpty();
	}

	@Test
	void observationsSwitchedOffByAPredicateAddNoHeaders() {
		this.sender.observations()
			.observationConfig()
			.observationPredicate((name, context) -> !name.startsWith("taskqueue"));
		Map<String, Object> headers = new HashMap<>();
		TaskEvent task = publish(ADD, headers, null);

		assertThat(headers).isEmpty();
		assertThat(task.attributes()).isEmpty();
		assertThat(this.sender.spans()).isEmpty();
	}

	private TaskEvent publish(String name, Map<String, Object> headers, @Nullable Throwable error) {
		TaskEvent task = event(name, headers);
		this.sending.beforePublish(task, headers);
		this.sending.afterPublish(task, error);
		return task;
	}

	/**
	 * Receive a message with these headers, and run it on the worker's thread.
	 */
	private void run(String name, Map<String, Object> headers, TaskOutcome outcome, Runnable code) throws Exception {
		TaskEvent task = received(name, headers);
		this.workerThread.submit(() -> {
			this.working.received(task);
			task.markStarted();
			this.working.prerun(task);
			code.run();
			task.markFinished();
			this.working.postrun(task, outcome);
		}).get(5, TimeUnit.SECONDS);
	}

	private static TaskEvent received(String name, Map<String, Object> headers) {
		return new TaskEvent(UUID.randomUUID().toString(), name, "math", 0, new HashMap<>(headers), "worker@test",
				null);
	}

	private static TaskEvent event(String name, Map<String, Object> headers) {
		return new TaskEvent(UUID.randomUUID().toString(), name, "math", 0, headers, null, null);
	}

}
