package dev.taskqueue.autoconfigure;

import java.time.Duration;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.InMemoryPidboxTransport;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.sqs.SqsBroker;
import dev.taskqueue.sqs.SqsBrokerSettings;

/**
 * {@code taskqueue.broker=sqs}: the Amazon SQS broker on an SQS client of {@code taskqueue.sqs.*} (region,
 * endpoint) with the AWS SDK's default credentials chain; an {@link SqsClient} bean replaces it. SQS has no fanout,
 * so Celery's remote control (and events) do not travel over it, as in Celery: remote control reaches the
 * application's own workers only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ SqsClient.class, UrlConnectionHttpClient.class, SqsBroker.class })
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "sqs")
final class SqsBrokerConfiguration {

	/** How much longer than a long poll the client waits for SQS's answer before it gives up. */
	private static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(10);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SqsClient taskSqsClient(TaskQueueProperties properties) {
		TaskQueueProperties.Sqs sqs = properties.getSqs();
		SqsClientBuilder builder = SqsClient.builder()
			.credentialsProvider(DefaultCredentialsProvider.builder().build())
			.httpClient(UrlConnectionHttpClient.builder()
				.socketTimeout(sqs.getWaitTime().plus(SOCKET_TIMEOUT_MARGIN))
				.build());
		if (sqs.getRegion() != null) {
			builder.region(Region.of(sqs.getRegion()));
		}
		if (sqs.getEndpoint() != null) {
			builder.endpointOverride(sqs.getEndpoint());
		}
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	SqsBroker taskBroker(SqsClient client, ObjectProvider<JsonMapper> mapper, TaskQueueProperties properties) {
		TaskQueueProperties.Sqs sqs = properties.getSqs();
		SqsBrokerSettings settings = new SqsBrokerSettings(sqs.getQueueNamePrefix(), sqs.getWaitTime(),
				sqs.getVisibilityTimeout(), sqs.getDeadLetterQueue());
		return new SqsBroker(client, TaskQueueAutoConfiguration.jsonMapper(mapper), settings,
				TaskQueueAutoConfiguration.CLOCK, TaskQueueSettings.deadLetterRetention(properties));
	}

	@Bean
	@ConditionalOnMissingBean
	PidboxTransport taskPidboxTransport() {
		// no fanout on SQS (kombu's SQS transport has none either): remote control within the application
		return new InMemoryPidboxTransport();
	}

}
