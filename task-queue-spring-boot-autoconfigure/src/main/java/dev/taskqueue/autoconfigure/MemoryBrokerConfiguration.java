package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.control.InMemoryPidboxTransport;
import dev.taskqueue.control.PidboxTransport;

/**
 * {@code taskqueue.broker=memory}, the default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "memory", matchIfMissing = true)
final class MemoryBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	InMemoryBroker taskBroker(TaskQueueProperties properties) {
		return new InMemoryBroker(TaskQueueAutoConfiguration.CLOCK, TaskQueueSettings.deadLetterRetention(properties));
	}

	@Bean
	@ConditionalOnMissingBean
	PidboxTransport taskPidboxTransport() {
		// Celery's remote control within the application: TaskControl reaches the application's own workers
		return new InMemoryPidboxTransport();
	}

}
