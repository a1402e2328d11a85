package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.micrometer.QueueMetrics;
import dev.taskqueue.micrometer.TaskMetricsListener;
import dev.taskqueue.registry.TaskRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics are there when the application has a meter registry (as the Actuator gives it), switch off with
 * Spring Boot's {@code management.metrics.enable.*}, and the broker's gauges cover the queues a worker consumes.
 */
class TaskQueueMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueMetricsAutoConfiguration.class));

	/** As an application with the Actuator has it: Spring Boot's registry and its meter filters. */
	private final ApplicationContextRunner withBootMetrics = this.runner
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void withSpringBootsMetricsEveryTaskMeterAndTheGaugesOfTheConsumedQueuesAreRegistered() {
		this.withBootMetrics.withPropertyValues("taskqueue.worker.queues=emails,reports").run((context) -> {
			assertThat(context).hasSingleBean(TaskMetricsListener.class).hasSingleBean(QueueMetrics.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			TaskEvent task = new TaskEvent("id-1", "not.registered", "emails", 0, Map.of(), null, null);
			context.getBean(TaskMetricsListener.class).afterPublish(task, null);

			assertThat(meters.get("taskqueue.tasks.sent").tags("task", "unknown", "queue", "emails").counter().count())
				.isEqualTo(1);
			assertThat(meters.get("taskqueue.tasks.active").gauge().value()).isZero();
			assertThat(meters.get("taskqueue.queue.depth").tag("queue", "emails").gauge().value()).isZero();
			assertThat(meters.get("taskqueue.queue.depth").tag("queue", "reports").gauge().value()).isZero();
			assertThat(meters.get("taskqueue.dead.letters").tag("queue", "emails").gauge().value()).isZero();
		});
	}

	@Test
	void tenRunsOfATaskAreCountedAsTenSuccesses() {
		this.withBootMetrics.withUserConfiguration(AddTask.class).run((context) -> {
			TaskClient tasks = context.getBean(TaskClient.class);
			List<AsyncResult<Object>> results = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				results.add(tasks.send("metrics.add", i, 1));
			}
			results.forEach((result) -> result.get(Duration.ofSeconds(10)));

			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("taskqueue.tasks.execution").tags("task", "metrics.add", "outcome", "success")
				.timer()
				.count()).isEqualTo(10);
			assertThat(meters.get("taskqueue.tasks.sent").tags("task", "metrics.add").counter().count())
				.isEqualTo(10);
		});
	}

	@Test
	void theMetersSwitchOffWithSpringBootsManagementProperty() {
		this.withBootMetrics.withPropertyValues("management.metrics.enable.taskqueue=false").run((context) -> {
			TaskEvent task = new TaskEvent("id-1", "some.task", "celery", 0, Map.of(), null, null);
			context.getBean(TaskMetricsListener.class).afterPublish(task, null);

			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("taskqueue"));
		});
	}

	@Test
	void oneMeterCanBeSwitchedOffAlone() {
		this.withBootMetrics.withPropertyValues("management.metrics.enable.taskqueue.queue.depth=false")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find("taskqueue.queue.depth").gauges()).isEmpty();
				assertThat(meters.find("taskqueue.dead.letters").gauges()).isNotEmpty();
				assertThat(meters.find("taskqueue.tasks.active").gauge()).isNotNull();
			});
	}

	@Test
	void withAMeterRegistryOfTheApplicationsOwnTheTaskMetersAreRegistered() {
		this.runner.withUserConfiguration(OwnRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(TaskMetricsListener.class);
			assertThat(context.getBean(MeterRegistry.class).find("taskqueue.tasks.active").gauge()).isNotNull();
		});
	}

	@Test
	void withoutAMeterRegistryThereAreNoMetrics() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TaskMetricsListener.class)
			.doesNotHaveBean(QueueMetrics.class));
	}

	@Test
	void withoutMicrometerOnTheClassPathTheApplicationStartsWithoutMetrics() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(TaskMetricsListener.class);
		});
	}

	@Test
	void anApplicationWithoutAWorkerHasTheTaskMetersButNoQueueGauges() {
		this.withBootMetrics.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(TaskMetricsListener.class).doesNotHaveBean(QueueMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("taskqueue.queue.depth").gauges()).isEmpty();
		});
	}

	@Test
	void theRefreshIntervalOfTheGaugesIsAProperty() {
		this.withBootMetrics.withPropertyValues("taskqueue.metrics.queue-depth-refresh=1m")
			.run((context) -> assertThat(
					context.getBean(TaskQueueProperties.class).getMetrics().getQueueDepthRefresh())
				.isEqualTo(Duration.ofMinutes(1)));
	}

	@Test
	void theApplicationsOwnListenerReplacesOurs() {
		this.runner.withUserConfiguration(OwnRegistry.class, OwnListener.class)
			.run((context) -> assertThat(context).hasSingleBean(TaskMetricsListener.class)
				.hasBean("ownTaskMetricsListener"));
	}

	@Configuration(proxyBeanMethods = false)
	static class AddTask {

		@Bean
		Adder adder() {
			return new Adder();
		}

	}

	static class Adder {

		@Task("metrics.add")
		public long add(long x, long y) {
			return x + y;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRegistry {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnListener {

		@Bean
		TaskMetricsListener ownTaskMetricsListener(MeterRegistry registry) {
			return new TaskMetricsListener(registry, new TaskRegistry());
		}

	}

}
