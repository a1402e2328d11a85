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

import dev.taskqueue.rabbitmq.RabbitBroker;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.rabbitmq.RpcResultBackend;
import dev.taskqueue.rabbitmq.RpcResultBackendSettings;

/**
 * {@code taskqueue.result-backend=rpc}: Celery's RPC backend, results as messages to the sender's reply
 * queue, on the RabbitMQ connection Spring Boot configures.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ConnectionFactory.class, RabbitBroker.class })
@ConditionalOnBean(ConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.result-backend", havingValue = "rpc")
final class RpcResultBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	RpcResultBackend taskResultBackend(ConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			TaskQueueProperties properties) {
		TaskQueueProperties.Rabbitmq rabbitmq = properties.getRabbitmq();
		RpcResultBackendSettings settings = new RpcResultBackendSettings(properties.getResultExpires(),
				rabbitmq.getRecoveryInterval(), rabbitmq.getConfirmTimeout());
		return new RpcResultBackend(connectionFactory, TaskQueueAutoConfiguration.jsonMapper(mapper), settings,
				TaskQueueAutoConfiguration.CLOCK);
	}

}
