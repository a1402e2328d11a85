package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.worker.RateLimiter;
import dev.taskqueue.redis.RedisRateLimiter;

/**
 * {@code taskqueue.worker.rate-limits=cluster}: rate limits shared by all workers, in the Redis that
 * {@code spring.data.redis} configures.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisBroker.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.worker.rate-limits", havingValue = "cluster")
final class RedisRateLimiterConfiguration {

	@Bean
	@ConditionalOnMissingBean(RateLimiter.class)
	RedisRateLimiter taskRateLimiter(RedisConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new RedisRateLimiter(connectionFactory, properties.getRedis().getKeyPrefix());
	}

}
