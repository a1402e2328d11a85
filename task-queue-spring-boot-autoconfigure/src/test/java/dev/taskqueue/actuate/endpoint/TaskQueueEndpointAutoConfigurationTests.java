package dev.taskqueue.actuate.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEndpointAutoConfiguration;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.revoke.Revocations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code taskqueue} endpoint exists when the application exposes it, as every actuator endpoint, and not
 * otherwise; its access can be taken away; a bean of the application's own replaces it.
 */
class TaskQueueEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueEndpointAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void isAbsentUntilExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueEndpoint.class)
			.doesNotHaveBean(TaskQueueEndpointWebExtension.class));
	}

	@Test
	void isThereWithItsWebExtensionWhenExposedOverHttp() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,taskqueue")
			.run((context) -> assertThat(context).hasSingleBean(TaskQueueEndpoint.class)
				.hasSingleBean(TaskQueueEndpointWebExtension.class));
	}

	@Test
	void isAbsentWhenItsAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=taskqueue",
					"management.endpoint.taskqueue.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueEndpoint.class));
	}

	@Test
	void backsOffForAnEndpointOfTheApplicationsOwn() {
		this.runner.withUserConfiguration(OwnEndpoint.class)
			.withPropertyValues("management.endpoints.web.exposure.include=taskqueue")
			.run((context) -> assertThat(context).getBean(TaskQueueEndpoint.class)
				.isSameAs(context.getBean(OwnEndpoint.class).endpoint));
	}

	@Test
	void isAbsentWithoutTheActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=taskqueue")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueueEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		TaskQueueEndpoint endpoint;

		@Bean
		TaskQueueEndpoint ownTaskQueueEndpoint(Broker broker, TaskRegistry registry, Revocations revocations,
				TaskControl control) {
			this.endpoint = new TaskQueueEndpoint(broker, null, registry, revocations, control, "own", false);
			return this.endpoint;
		}

	}

}
