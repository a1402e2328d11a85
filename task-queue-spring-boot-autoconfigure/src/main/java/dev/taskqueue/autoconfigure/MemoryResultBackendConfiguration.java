package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.memory.InMemoryResultBackend;

/**
 * {@code taskqueue.result-backend=memory}, the default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "taskqueue.result-backend", havingValue = "memory", matchIfMissing = true)
final class MemoryResultBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	InMemoryResultBackend taskResultBackend(TaskQueueProperties properties) {
		return new InMemoryResultBackend(properties.getResultExpires(), TaskQueueAutoConfiguration.CLOCK);
	}

}
