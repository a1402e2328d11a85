package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.micrometer.DefaultTaskProcessObservationConvention;
import dev.taskqueue.micrometer.DefaultTaskPublishObservationConvention;
import dev.taskqueue.micrometer.ObservationTaskListener;
import dev.taskqueue.micrometer.TaskPublishContext;
import dev.taskqueue.micrometer.TaskPublishObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observation listener is there when the application has an observation registry (as the Actuator gives it),
 * observes with the application's conventions, and switches off with {@code management.observations.enable.*}.
 */
class TaskQueueObservationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueObservationAutoConfiguration.class));

	@Test
	void withAnObservationRegistryEachPublishIsObserved() {
		this.runner.withUserConfiguration(RecordingObservations.class).run((context) -> {
			assertThat(context).hasSingleBean(ObservationTaskListener.class);
			publish(context.getBean(ObservationTaskListener.class));

			assertThat(context.getBean(RecordingObservations.class).names)
				.containsExactly(DefaultTaskPublishObservationConvention.NAME);
		});
	}

	@Test
	void aSentTaskAndItsRunAreObserved() {
		this.runner.withUserConfiguration(RecordingObservations.class, EchoTask.class).run((context) -> {
			context.getBean(TaskClient.class).send("observed.echo", "hi").get(Duration.ofSeconds(10));

			assertThat(context.getBean(RecordingObservations.class).names).contains(
					DefaultTaskPublishObservationConvention.NAME, DefaultTaskProcessObservationConvention.NAME);
		});
	}

	@Test
	void theApplicationsConventionNamesTheObservation() {
		this.runner.withUserConfiguration(RecordingObservations.class, OwnConvention.class).run((context) -> {
			publish(context.getBean(ObservationTaskListener.class));

			assertThat(context.getBean(RecordingObservations.class).names).containsExactly("jobs.publish");
		});
	}

	@Test
	void withoutAnObservationRegistryThereIsNoListener() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ObservationTaskListener.class));
	}

	@Test
	void withoutMicrometerObservationOnTheClassPathTheApplicationStarts() {
		this.runner.withUserConfiguration(RecordingObservations.class)
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ObservationTaskListener.class);
			});
	}

	@Test
	void withSpringBootsObservationsTheyAreSwitchedOffByManagementProperty() {
		ApplicationContextRunner withBoot = this.runner.withConfiguration(AutoConfigurations.of(
				ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));
		withBoot.run((context) -> {
			TaskEvent task = publish(context.getBean(ObservationTaskListener.class));
			assertThat(task.attributes()).isEmpty();
			assertThat(context.getBean(MeterRegistry.class)
				.find(DefaultTaskPublishObservationConvention.NAME)
				.timer()).isNotNull();
		});
		withBoot.withPropertyValues("management.observations.enable.taskqueue=false").run((context) -> {
			publish(context.getBean(ObservationTaskListener.class));
			assertThat(context.getBean(MeterRegistry.class)
				.find(DefaultTaskPublishObservationConvention.NAME)
				.timer()).isNull();
		});
	}

	private static TaskEvent publish(ObservationTaskListener listener) {
		Map<String, Object> headers = new HashMap<>();
		TaskEvent task = new TaskEvent("id-1", "some.task", "celery", 0, headers, null, null);
		listener.beforePublish(task, headers);
		listener.afterPublish(task, null);
		return task;
	}

	/**
	 * An observation registry that records the names of the observations it saw stop.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RecordingObservations {

		final List<String> names = new CopyOnWriteArrayList<>();

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				public void onStop(Observation.Context context) {
					RecordingObservations.this.names.add(context.getName());
				}

			});
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EchoTask {

		@Bean
		Echo echo() {
			return new Echo();
		}

	}

	static class Echo {

		@Task("observed.echo")
		public String echo(String text) {
			return text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConvention {

		@Bean
		TaskPublishObservationConvention jobsConvention() {
			return new DefaultTaskPublishObservationConvention() {

				@Override
				public String getName() {
					return "jobs.publish";
				}

				@Override
				public String getContextualName(TaskPublishContext context) {
					return "jobs";
				}

			};
		}

	}

}
