package dev.taskqueue.autoconfigure;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.micrometer.ObservationTaskListener;
import dev.taskqueue.micrometer.TaskProcessObservationConvention;
import dev.taskqueue.micrometer.TaskPublishObservationConvention;
import dev.taskqueue.registry.TaskRegistry;

/**
 * Micrometer observations of Task Queue, when the application has an {@link ObservationRegistry} (Spring Boot
 * makes one with the Actuator): an {@link ObservationTaskListener} observes each publish
 * ({@code taskqueue.publish}) and each run ({@code taskqueue.process}); with Micrometer Tracing and a bridge
 * (Brave or OpenTelemetry), a send and the run it causes are one trace, its W3C context in the message headers.
 * Switched off as any observation is: {@code management.observations.enable.taskqueue=false}. A
 * {@link TaskPublishObservationConvention} or {@link TaskProcessObservationConvention} bean replaces the default
 * names and key values.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, TaskRegistry.class })
public final class TaskQueueObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationTaskListener taskObservationListener(ObservationRegistry observationRegistry,
			TaskRegistry taskRegistry, ObjectProvider<TaskPublishObservationConvention> publishConvention,
			ObjectProvider<TaskProcessObservationConvention> processConvention) {
		return new ObservationTaskListener(observationRegistry, taskRegistry, publishConvention.getIfUnique(),
				processConvention.getIfUnique());
	}

}
