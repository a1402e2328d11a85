package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.result.DisabledResultBackend;
import dev.taskqueue.result.ResultBackend;

/**
 * {@code taskqueue.result-backend=none}: no results.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "taskqueue.result-backend", havingValue = "none")
final class DisabledResultBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	DisabledResultBackend taskResultBackend() {
		return new DisabledResultBackend();
	}

}
