package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.redis.RedisBeatStore;

/**
 * The beat on {@code taskqueue.broker=redis}: the lead and the last runs in the broker's Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisBeatStore.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "redis")
final class RedisBeatStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean(BeatStore.class)
	RedisBeatStore taskBeatStore(RedisConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new RedisBeatStore(connectionFactory, properties.getRedis().getKeyPrefix());
	}

}
