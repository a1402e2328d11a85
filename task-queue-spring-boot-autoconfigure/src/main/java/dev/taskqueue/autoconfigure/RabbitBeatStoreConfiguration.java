package dev.taskqueue.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.rabbitmq.RabbitBeatStore;

/**
 * The beat on {@code taskqueue.broker=rabbitmq}: the lead is the single active consumer of the queue
 * {@code taskqueue.beat}, which also holds the last runs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ConnectionFactory.class, RabbitBeatStore.class })
@ConditionalOnBean(ConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "rabbitmq")
final class RabbitBeatStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean(BeatStore.class)
	RabbitBeatStore taskBeatStore(ConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			TaskQueueProperties properties) {
		return new RabbitBeatStore(connectionFactory, TaskQueueAutoConfiguration.jsonMapper(mapper),
				properties.getRabbitmq().getConfirmTimeout());
	}

}
