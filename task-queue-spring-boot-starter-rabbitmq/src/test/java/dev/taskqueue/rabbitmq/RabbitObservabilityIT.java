package dev.taskqueue.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import brave.handler.MutableSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.micrometer.FinishedSpans;
import dev.taskqueue.rabbitmq.observed.ObservedRabbitApplication;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client application and a worker application with the Actuator and Brave on a RabbitMQ virtual host of the
 * test's own: the trace context crosses in the AMQP headers, the runs are counted by outcome, and the depth of a
 * queue and its dead letters are read from RabbitMQ.
 */
class RabbitObservabilityIT {

	private static final String QUEUE = "observed";

	private static RabbitVhost vhost;

	private ConfigurableApplicationContext worker;

	private ConfigurableApplicationContext client;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-observability");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@BeforeEach
	void start() {
		this.worker = application("observed-worker", "taskqueue.worker.name=observed-worker",
				"taskqueue.worker.concurrency=2", "taskqueue.metrics.queue-depth-refresh=100ms");
		this.client = application("observed-client", "taskqueue.worker.enabled=false");
	}

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
		if (this.worker != null) {
			this.worker.close();
		}
	}

	@Test
	void aSendAndTheRunItCausesAreOneTraceThroughAmqpHeaders() {
		Tracer tracer = this.client.getBean(Tracer.class);
		Span request = tracer.nextSpan().name("request").start();
		AsyncResult<Object> result;
		try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
			result = this.client.getBean(TaskClient.class).send("observed.current-span");
		}
		finally {
			request.end();
		}
		Object seenByTask = result.get(Duration.ofSeconds(20));

		MutableSpan publish = this.client.getBean(FinishedSpans.class).await("publish observed.current-span");
		MutableSpan process = this.worker.getBean(FinishedSpans.class).await("process observed.current-span");
		assertThat(publish.traceId()).isEqualTo(request.context().traceId());
		assertThat(process.traceId()).isEqualTo(publish.traceId());
		assertThat(process.parentId()).isEqualTo(publish.id());
		assertThat(seenByTask).isEqualTo(process.traceId() + "/" + process.id());
	}

	@Test
	void runsAreCountedByOutcomeAndTheQueuesDepthAndDeadLettersAreReadFromRabbitmq() {
		TaskClient tasks = this.client.getBean(TaskClient.class);
		MeterRegistry meters = this.worker.getBean(MeterRegistry.class);
		List<AsyncResult<Object>> results = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			results.add(tasks.send("observed.add", i, 1));
		}
		results.forEach((result) -> result.get(Duration.ofSeconds(20)));
		assertThat(meters.get("taskqueue.tasks.execution")
			.tags("task", "observed.add", "queue", QUEUE, "outcome", "success")
			.timer()
			.count()).isEqualTo(10);
		assertThat(this.client.getBean(MeterRegistry.class)
			.get("taskqueue.tasks.sent")
			.tags("task", "observed.add", "queue", QUEUE)
			.counter()
			.count()).isEqualTo(10);

		Workers workers = this.worker.getBean(Workers.class);
		workers.pause(QUEUE);
		for (int i = 0; i < 3; i++) {
			tasks.send("observed.add", i, 1);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(depth(meters)).isEqualTo(3));
		workers.resume(QUEUE);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(depth(meters)).isZero());

		tasks.send("nobody.runs.this", 1);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(meters.get("taskqueue.dead.letters").tag("queue", QUEUE).gauge().value())
				.isEqualTo(1));
		assertThat(meters.get("taskqueue.tasks.execution").tags("task", "unknown", "outcome", "rejected").timer().count())
			.isEqualTo(1);
	}

	private static double depth(MeterRegistry meters) {
		return meters.get("taskqueue.queue.depth").tag("queue", QUEUE).gauge().value();
	}

	private static ConfigurableApplicationContext application(String name, String... properties) {
		return new SpringApplicationBuilder(ObservedRabbitApplication.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=" + name, "spring.rabbitmq.host=127.0.0.1",
					"spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
					"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
					"taskqueue.result-backend=rpc", "taskqueue.default-queue=" + QUEUE,
					"management.tracing.sampling.probability=1.0")
			.properties(properties)
			.run();
	}

}
