package dev.taskqueue.autoconfigure;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.events.EventTransport;
import dev.taskqueue.rabbitmq.RabbitEventTransport;

/**
 * Events on {@code taskqueue.broker=rabbitmq}: Celery's {@code celeryev} topic exchange.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ConnectionFactory.class, RabbitEventTransport.class })
@ConditionalOnBean(ConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "rabbitmq")
final class RabbitEventTransportConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EventTransport taskEventTransport(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new RabbitEventTransport(connectionFactory, properties.getRabbitmq().getRecoveryInterval());
	}

}
