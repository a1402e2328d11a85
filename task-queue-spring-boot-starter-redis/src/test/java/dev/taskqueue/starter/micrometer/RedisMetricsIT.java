package dev.taskqueue.starter.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskState;
import dev.taskqueue.redis.OwnRedisServer;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters of an application with the Actuator on a Redis of the test's own, as its dashboard reads them:
 * runs counted by outcome, and the depth of a queue and its dead letters read from Redis.
 */
class RedisMetricsIT {

	private static final String QUEUE = "metered";

	private OwnRedisServer server;

	private ConfigurableApplicationContext application;

	private MeterRegistry meters;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.application = new SpringApplicationBuilder(ObservedApplication.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=metered", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + this.server.port(), "taskqueue.broker=redis",
					"taskqueue.result-backend=redis", "taskqueue.default-queue=" + QUEUE,
					"taskqueue.worker.name=metered", "taskqueue.worker.concurrency=2",
					"taskqueue.metrics.queue-depth-refresh=100ms")
			.run();
		this.meters = this.application.getBean(MeterRegistry.class);
	}

	@AfterEach
	void stop() {
		if (this.application != null) {
			this.application.close();
		}
		this.server.close();
	}

	@Test
	void tenRunsAreCountedAsTenSuccessesWithTheirSendsReceiptsAndWaits() {
		TaskClient tasks = this.application.getBean(TaskClient.class);
		List<AsyncResult<Object>> results = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			results.add(tasks.send("observed.add", i, 1));
		}
		results.forEach((result) -> result.get(Duration.ofSeconds(20)));

		assertThat(count("taskqueue.tasks.sent")).isEqualTo(10);
		assertThat(count("taskqueue.tasks.received")).isEqualTo(10);
		assertThat(this.meters.get("taskqueue.tasks.execution")
			.tags("task", "observed.add", "queue", QUEUE, "outcome", "success")
			.timer()
			.count()).isEqualTo(10);
		assertThat(this.meters.get("taskqueue.tasks.wait").tags("task", "observed.add").timer().count())
			.isEqualTo(10);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.meters.get("taskqueue.tasks.active").gauge().value()).isZero());
	}

	@Test
	void aFailureIsCountedUnderItsOutcome() {
		AsyncResult<Object> failed = this.application.getBean(TaskClient.class).send("observed.fail", "no");
		await().atMost(Duration.ofSeconds(20)).until(() -> failed.state() == TaskState.FAILURE);

		assertThat(this.meters.get("taskqueue.tasks.execution")
			.tags("task", "observed.fail", "outcome", "failure")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void theDepthOfAConsumedQueueIsWhatWaitsInRedis() {
		Workers workers = this.application.getBean(Workers.class);
		workers.pause(QUEUE);
		TaskClient tasks = this.application.getBean(TaskClient.class);
		for (int i = 0; i < 5; i++) {
			tasks.send("observed.add", i, 1);
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth()).isEqualTo(5));

		workers.resume(QUEUE);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(depth()).isZero());
	}

	@Test
	void aMessageNamingATaskNobodyRunsIsADeadLetterCountedAsRejectedUnderUnknown() {
		this.application.getBean(TaskClient.class).send("nobody.runs.this", 1);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					this.meters.get("taskqueue.dead.letters").tag("queue", QUEUE).gauge().value())
				.isEqualTo(1));
		assertThat(this.meters.get("taskqueue.tasks.execution")
			.tags("task", "unknown", "outcome", "rejected")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("taskqueue.tasks.sent").tags("task", "unknown").counter().count()).isEqualTo(1);
	}

	private double count(String counter) {
		return this.meters.get(counter).tags("task", "observed.add", "queue", QUEUE).counter().count();
	}

	private double depth() {
		return this.meters.get("taskqueue.queue.depth").tag("queue", QUEUE).gauge().value();
	}

}
