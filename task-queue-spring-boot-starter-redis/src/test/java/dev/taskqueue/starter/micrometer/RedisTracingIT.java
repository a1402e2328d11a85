package dev.taskqueue.starter.micrometer;

import java.time.Duration;

import brave.Span.Kind;
import brave.handler.MutableSpan;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.micrometer.FinishedSpans;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications with the Actuator and Brave (Spring Boot's W3C propagation) on a Redis of the test's own: a
 * client that only sends, and a worker. A send and the run it causes are one trace: the worker's span has the
 * client's trace id and the client's publish span as parent, and it is current in the task's code.
 */
class RedisTracingIT {

	private OwnRedisServer server;

	private ConfigurableApplicationContext client;

	private ConfigurableApplicationContext worker;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.worker = application("tracing-worker", "taskqueue.worker.name=tracing-worker");
		this.client = application("tracing-client", "taskqueue.worker.enabled=false");
	}

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
		if (this.worker != null) {
			this.worker.close();
		}
		this.server.close();
	}

	@Test
	void aSendAndTheRunItCausesAreOneTraceAcrossTwoApplications() {
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
		assertThat(publish.kind()).isEqualTo(Kind.PRODUCER);
		assertThat(publish.traceId()).isEqualTo(request.context().traceId());
		assertThat(publish.parentId()).isEqualTo(request.context().spanId());
		assertThat(process.kind()).isEqualTo(Kind.CONSUMER);
		assertThat(process.traceId()).isEqualTo(publish.traceId());
		assertThat(process.parentId()).isEqualTo(publish.id());
		assertThat(process.localServiceName()).isEqualTo("tracing-worker");
		assertThat(process.tags()).containsEntry("task", "observed.current-span")
			.containsEntry("queue", "tracing")
			.containsEntry("outcome", "success")
			.containsEntry("messaging.message.id", result.id());
		assertThat(seenByTask).as("the span current in the task's code").isEqualTo(process.traceId() + "/" + process.id());
	}

	@Test
	void aTaskThatFailsEndsItsSpanInError() {
		AsyncResult<Object> result = this.client.getBean(TaskClient.class).send("observed.fail", "boom");

		MutableSpan process = this.worker.getBean(FinishedSpans.class).await("process observed.fail");
		assertThat(process.error()).hasMessage("boom");
		assertThat(process.tags()).containsEntry("outcome", "failure");
		assertThat(process.traceId()).isEqualTo(this.client.getBean(FinishedSpans.class).await("publish observed.fail").traceId());
		assertThat(result.id()).isEqualTo(process.tags().get("messaging.message.id"));
	}

	private ConfigurableApplicationContext application(String name, String... properties) {
		return new SpringApplicationBuilder(ObservedApplication.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=" + name, "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + this.server.port(), "taskqueue.broker=redis",
					"taskqueue.result-backend=redis", "taskqueue.default-queue=tracing",
					"management.tracing.sampling.probability=1.0")
			.properties(properties)
			.run();
	}

}
