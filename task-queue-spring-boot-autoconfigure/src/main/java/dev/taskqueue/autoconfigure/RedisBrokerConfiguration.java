package dev.taskqueue.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.redis.RedisBrokerSettings;
import dev.taskqueue.redis.RedisPidboxTransport;
import dev.taskqueue.redis.RedisRevocations;
import dev.taskqueue.revoke.Revocations;

/**
 * {@code taskqueue.broker=redis}: the Redis that {@code spring.data.redis} configures.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisBroker.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "redis")
final class RedisBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	RedisBroker taskBroker(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			TaskQueueProperties properties) {
		TaskQueueProperties.Redis redis = properties.getRedis();
		return new RedisBroker(connectionFactory, TaskQueueAutoConfiguration.jsonMapper(mapper),
				new RedisBrokerSettings(redis.getKeyPrefix(), redis.getVisibilityTimeout(), redis.getClaimRefresh())
					.withMaxMessageSize((int) properties.getMaxMessageSize().toBytes())
					.withSendTimeout(redis.getSendTimeout()),
				TaskQueueAutoConfiguration.CLOCK, TaskQueueSettings.deadLetterRetention(properties));
	}

	@Bean
	@ConditionalOnMissingBean
	PidboxTransport taskPidboxTransport(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			Environment environment) {
		// kombu names the channel after the database, which Spring Boot's spring.data.redis.database sets
		int database = environment.getProperty("spring.data.redis.database", Integer.class, 0);
		return new RedisPidboxTransport(connectionFactory, database, TaskQueueAutoConfiguration.jsonMapper(mapper));
	}

	@Bean
	@ConditionalOnMissingBean(Revocations.class)
	Revocations taskRevocations(RedisConnectionFactory connectionFactory, TaskQueueProperties properties,
			PidboxTransport pidbox, ObjectProvider<JsonMapper> mapper, LamportClock clock) {
		RedisRevocations revocations = new RedisRevocations(connectionFactory, properties.getRedis().getKeyPrefix(),
				properties.getWorker().getRevocationWindow());
		boolean sharedWithCelery = properties.getRedis().getKeyPrefix().isEmpty();
		if (!properties.getCeleryControl().isEnabled(sharedWithCelery)) {
			return revocations;
		}
		return TaskQueueAutoConfiguration.celeryRevocations(revocations, pidbox,
				TaskQueueAutoConfiguration.jsonMapper(mapper), clock);
	}

}
