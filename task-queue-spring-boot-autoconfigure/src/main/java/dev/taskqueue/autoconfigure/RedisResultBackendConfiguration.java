package dev.taskqueue.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.redis.RedisResultBackend;
import dev.taskqueue.redis.RedisResultBackendSettings;

/**
 * {@code taskqueue.result-backend=redis}: the Redis that {@code spring.data.redis} configures, with any broker.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisBroker.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.result-backend", havingValue = "redis")
final class RedisResultBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	RedisResultBackend taskResultBackend(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			TaskQueueProperties properties) {
		return new RedisResultBackend(connectionFactory, TaskQueueAutoConfiguration.jsonMapper(mapper),
				new RedisResultBackendSettings(properties.getRedis().getKeyPrefix(), properties.getResultExpires()),
				TaskQueueAutoConfiguration.CLOCK);
	}

}
