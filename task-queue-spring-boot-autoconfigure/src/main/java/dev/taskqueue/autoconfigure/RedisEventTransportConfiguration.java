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

import dev.taskqueue.events.EventTransport;
import dev.taskqueue.redis.RedisEventTransport;

/**
 * Events on {@code taskqueue.broker=redis}: kombu's fanout over pub/sub in the broker's Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisEventTransport.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "redis")
final class RedisEventTransportConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EventTransport taskEventTransport(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			TaskQueueProperties properties, Environment environment) {
		// kombu names the channel after the database, which Spring Boot's spring.data.redis.database sets
		int database = environment.getProperty("spring.data.redis.database", Integer.class, 0);
		return new RedisEventTransport(connectionFactory, database, TaskQueueAutoConfiguration.jsonMapper(mapper),
				properties.getRedis().getSendTimeout());
	}

}
