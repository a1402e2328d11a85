package dev.taskqueue.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.InMemoryBeatStore;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.InMemoryPidboxTransport;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.InMemoryEventTransport;
import dev.taskqueue.sqs.SqsBroker;
import dev.taskqueue.sqs.SqsBrokerSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the SQS broker is configured ({@code taskqueue.broker=sqs}), with what, and when it backs off. Nothing
 * here talks to SQS: the client connects on its first call; what the broker does on a server is in the
 * {@code task-queue-sqs} module's {@code *IT} tests.
 */
class SqsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void sqsBrokerWithTheSettingsOfTaskqueueSqs() {
		this.runner
			.withPropertyValues("taskqueue.broker=sqs", "taskqueue.sqs.region=eu-west-1",
					"taskqueue.sqs.endpoint=http://127.0.0.1:9324", "taskqueue.sqs.queue-name-prefix=prod-",
					"taskqueue.sqs.wait-time=5s", "taskqueue.sqs.visibility-timeout=1h")
			.run((context) -> {
				assertThat(context).hasSingleBean(SqsClient.class);
				assertThat(context.getBean(Broker.class)).isInstanceOf(SqsBroker.class);
				SqsBrokerSettings settings = context.getBean(SqsBroker.class).getSettings();
				assertThat(settings.queueNamePrefix()).isEqualTo("prod-");
				assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofHours(1));
				assertThat(settings.deadLetterQueue()).isEqualTo("taskqueue.dead-letter");
				SqsClient client = context.getBean(SqsClient.class);
				assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
				assertThat(client.serviceClientConfiguration().endpointOverride())
					.contains(URI.create("http://127.0.0.1:9324"));
				// no fanout on SQS: remote control stays within the application
				assertThat(context.getBean(PidboxTransport.class)).isInstanceOf(InMemoryPidboxTransport.class);
			});
	}

	@Test
	void everyAutoConfigurationStartsOnSqsWithEventsAndTheBeatWithinTheApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
					TaskQueueBeatAutoConfiguration.class, TaskQueueControlAutoConfiguration.class,
					TaskQueueEndpointAutoConfiguration.class, TaskQueueEventsAutoConfiguration.class,
					TaskQueueHealthContributorAutoConfiguration.class, TaskQueueMetricsAutoConfiguration.class,
					TaskQueueObservationAutoConfiguration.class))
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=sqs",
					"taskqueue.sqs.region=eu-west-1", "taskqueue.beat.enabled=true", "taskqueue.events.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// no fanout on SQS, as in Celery: events stay within the application, and so does the beat's lead
				assertThat(context.getBean(EventTransport.class)).isInstanceOf(InMemoryEventTransport.class);
				assertThat(context.getBean(BeatStore.class)).isInstanceOf(InMemoryBeatStore.class);
			});
	}

	@Test
	void kombusDefaultsWhenNothingIsSet() {
		this.runner.withPropertyValues("taskqueue.broker=sqs", "taskqueue.sqs.region=us-east-1")
			.run((context) -> assertThat(context.getBean(SqsBroker.class).getSettings())
				.isEqualTo(SqsBrokerSettings.defaults()));
	}

	@Test
	void anSqsClientBeanOfTheApplicationIsUsed() {
		this.runner.withPropertyValues("taskqueue.broker=sqs")
			.withUserConfiguration(OwnClient.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SqsClient.class);
				assertThat(context.getBean(SqsClient.class)).isSameAs(context.getBean("ownSqsClient"));
				assertThat(context).hasSingleBean(SqsBroker.class);
			});
	}

	@Test
	void noSqsClientUnlessSqsIsTheBroker() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SqsClient.class)
			.doesNotHaveBean(SqsBroker.class));
	}

	@Test
	void withoutTheAwsSdkTheStartFailsNamingTheStarter() {
		this.runner.withPropertyValues("taskqueue.broker=sqs")
			.withClassLoader(new FilteredClassLoader(SqsClient.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MissingTransportException.class)
					.hasMessageContaining("task-queue-spring-boot-starter-sqs")
					.hasMessageContaining("SqsClient");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClient {

		@Bean(destroyMethod = "close")
		SqsClient ownSqsClient() {
			return SqsClient.builder()
				.region(Region.of("elasticmq"))
				.endpointOverride(URI.create("http://127.0.0.1:9324"))
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
				.build();
		}

	}

}
