package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.InMemoryEventTransport;

/**
 * {@code taskqueue.broker=sqs}: events within the application. SQS has no fanout, and Celery's SQS transport sends
 * no events either ({@code celery events} and Flower see nothing of an SQS cluster); an {@link EventTransport} bean
 * of the application (on Redis, say) replaces this one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "sqs")
final class SqsEventTransportConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EventTransport taskEventTransport() {
		return new InMemoryEventTransport();
	}

}
