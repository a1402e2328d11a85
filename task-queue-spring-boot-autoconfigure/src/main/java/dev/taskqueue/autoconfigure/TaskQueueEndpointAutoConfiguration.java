package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.actuate.endpoint.TaskQueueEndpoint;
import dev.taskqueue.actuate.endpoint.TaskQueueEndpointWebExtension;
import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.worker.Workers;

/**
 * Auto-configuration of the {@code taskqueue} actuator endpoint, when it is available (exposed with
 * {@code management.endpoints.web.exposure.include=taskqueue}). Its write operations stay off unless
 * {@code management.endpoint.taskqueue.access=unrestricted}.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(TaskQueueEndpoint.class)
public final class TaskQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ Broker.class, TaskRegistry.class, Revocations.class, TaskControl.class })
	TaskQueueEndpoint taskQueueEndpoint(Broker broker, ObjectProvider<Workers> workers, TaskRegistry registry,
			Revocations revocations, TaskControl control, TaskQueueProperties properties,
			ObjectProvider<BeatSchedule> beat) {
		return new TaskQueueEndpoint(broker, workers.getIfAvailable(), registry, revocations, control,
				properties.getDefaultQueue(), properties.getWorker().isAcksLate(), beat.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TaskQueueEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	TaskQueueEndpointWebExtension taskQueueEndpointWebExtension(TaskQueueEndpoint endpoint) {
		return new TaskQueueEndpointWebExtension(endpoint);
	}

}
