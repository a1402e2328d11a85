package dev.taskqueue.actuate.health;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.actuate.ActuatorTasks;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueHealthContributorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code taskQueue} health contributor as an application gets it with the actuator: registered under that
 * name with its {@code broker}, {@code resultBackend} and {@code workers} entries, switched off by Spring Boot's
 * usual property, replaced by a bean of the application's own, absent without the actuator.
 */
class TaskQueueHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				TaskQueueHealthContributorAutoConfiguration.class))
		.withBean(ActuatorTasks.class)
		.withPropertyValues("taskqueue.worker.shutdown-timeout=1s", "taskqueue.worker.name=actuate");

	@Test
	void theHealthEndpointShowsTaskQueueUpWithItsBrokerResultBackendAndWorkers() {
		this.runner.withPropertyValues("management.endpoint.health.show-details=always").run((context) -> {
			HealthDescriptor health = context.getBean(HealthEndpoint.class).healthForPath("taskQueue");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			Map<String, HealthDescriptor> entries = ((CompositeHealthDescriptor) health).getComponents();
			assertThat(entries).containsOnlyKeys("broker", "resultBackend", "workers");
			assertThat(details(entries.get("broker"))).containsEntry("type", "InMemoryBroker")
				.containsEntry("consumers", Map.of("celery", true));
			assertThat(details(entries.get("resultBackend"))).containsEntry("type", "InMemoryResultBackend");
			assertThat(entries.get("workers").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void anApplicationThatOnlySendsHasNoWorkersEntry() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			CompositeHealthContributor taskQueue = context.getBean("taskQueueHealthContributor",
					CompositeHealthContributor.class);
			assertThat(taskQueue.stream().map(CompositeHealthContributor.Entry::name)).containsExactly("broker",
					"resultBackend");
			assertThat(((HealthIndicator) taskQueue.getContributor("broker")).health().getDetails())
				.doesNotContainKey("consumers");
			assertThat(context).doesNotHaveBean(WorkerReadiness.class);
		});
	}

	@Test
	void isSwitchedOffByManagementHealthTaskqueueEnabled() {
		this.runner.withPropertyValues("management.health.taskqueue.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean("taskQueueHealthContributor");
			assertThat(context).doesNotHaveBean(WorkerReadiness.class);
			assertThat(context.getBean(HealthEndpoint.class).healthForPath("taskQueue")).isNull();
		});
	}

	@Test
	void isSwitchedOffWithBootsOtherIndicatorsByManagementHealthDefaultsEnabled() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("taskQueueHealthContributor"));
	}

	@Test
	void backsOffForAContributorOfTheApplicationsOwn() {
		this.runner.withUserConfiguration(OwnContributor.class).run((context) -> {
			assertThat(context.getBean("taskQueueHealthContributor")).isSameAs(OwnContributor.CONTRIBUTOR);
			assertThat(context.getBean(HealthEndpoint.class).healthForPath("taskQueue").getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void isAbsentWithoutTheActuatorsHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WorkersShutdown.class)
				.doesNotHaveBean(WorkerReadiness.class));
	}

	@Test
	void readinessFollowsTheWorkersUnlessSwitchedOff() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(WorkerReadiness.class));
		this.runner.withPropertyValues("management.health.taskqueue.readiness.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(WorkerReadiness.class);
			assertThat(context).hasBean("taskQueueHealthContributor");
		});
	}

	@Test
	void aStoppedWorkerIsOutOfServiceAndNotDown() {
		this.runner.run((context) -> {
			CompositeHealthContributor taskQueue = context.getBean("taskQueueHealthContributor",
					CompositeHealthContributor.class);
			HealthIndicator workers = (HealthIndicator) taskQueue.getContributor("workers");
			context.getBean(dev.taskqueue.worker.Workers.class).stop();
			Health health = workers.health();
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			@SuppressWarnings("unchecked")
			Map<String, Object> worker = (Map<String, Object>) health.getDetails().get("actuate");
			assertThat(worker).containsEntry("running", false);
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(HealthDescriptor descriptor) {
		return ((IndicatedHealthDescriptor) descriptor).getDetails();
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnContributor {

		static final HealthIndicator CONTRIBUTOR = () -> Health.outOfService().build();

		@Bean
		HealthIndicator taskQueueHealthContributor() {
			return CONTRIBUTOR;
		}

	}

}
