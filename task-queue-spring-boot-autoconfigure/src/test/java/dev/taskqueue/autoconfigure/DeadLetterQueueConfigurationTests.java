package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.rabbitmq.RabbitBroker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;

/**
 * The configured broker's dead letters are a {@link DeadLetterQueue} bean that an application injects, on
 * every broker that keeps them; a broker of the application's own that keeps none leaves no such bean. Every
 * broker keeps them within {@code taskqueue.dead-letters.*}. Nothing here connects to Redis or RabbitMQ.
 */
class DeadLetterQueueConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
				TaskQueueAutoConfiguration.class))
		.withUserConfiguration(Operator.class);

	@Test
	void theMemoryBrokersDeadLettersByDefault() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(DeadLetterQueue.class);
			assertThat(context.getBean(Operator.class).deadLetters).isSameAs(context.getBean(InMemoryBroker.class));
		});
	}

	@Test
	void theRedisBrokersDeadLetters() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=redis").run((context) -> {
			assertThat(context).hasSingleBean(DeadLetterQueue.class);
			assertThat(context.getBean(Operator.class).deadLetters).isSameAs(context.getBean(RedisBroker.class));
		});
	}

	@Test
	void theRabbitBrokersDeadLetters() {
		this.runner.withUserConfiguration(RabbitAutoConfigurationTests.MockRabbit.class)
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=rabbitmq")
			.run((context) -> {
				assertThat(context).hasSingleBean(DeadLetterQueue.class);
				assertThat(context.getBean(Operator.class).deadLetters).isSameAs(context.getBean(RabbitBroker.class));
			});
	}

	@Test
	void noneForABrokerThatKeepsNoDeadLetters() {
		this.runner.withUserConfiguration(OwnBroker.class).withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DeadLetterQueue.class);
			assertThat(context.getBean(Operator.class).deadLetters).isNull();
		});
	}

	@Test
	void anOperatorListsAndPurgesWhatTheWorkerDeadLettered() {
		this.runner.run((context) -> {
			DeadLetterQueue deadLetters = context.getBean(Operator.class).deadLetters;
			String id = context.getBean(TaskClient.class).send("no.such.task", 1).id();
			await().atMost(Duration.ofSeconds(10)).until(() -> !deadLetters.listDeadLetters(null, 10).isEmpty());
			DeadLetter letter = deadLetters.listDeadLetters("celery", 10).get(0);
			assertThat(letter.envelope().correlationId()).isEqualTo(id);
			assertThat(letter.reason()).isEqualTo("unregistered task 'no.such.task'");
			assertThat(deadLetters.purgeDeadLetter(letter.id())).isTrue();
			assertThat(deadLetters.listDeadLetters(null, 10)).isEmpty();
		});
	}

	@Test
	void everyBrokerKeepsDeadLettersWithinTheDefaultRetentionUnlessConfigured() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(InMemoryBroker.class).getDeadLetterRetention())
				.isEqualTo(new DeadLetterRetention(10_000, Duration.ofDays(7))));
		DeadLetterRetention configured = new DeadLetterRetention(50, Duration.ofHours(1));
		this.runner
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.dead-letters.max-count=50",
					"taskqueue.dead-letters.max-age=1h")
			.run((context) -> assertThat(context.getBean(InMemoryBroker.class).getDeadLetterRetention())
				.isEqualTo(configured));
		this.runner
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=redis",
					"taskqueue.dead-letters.max-count=50", "taskqueue.dead-letters.max-age=1h")
			.run((context) -> assertThat(context.getBean(RedisBroker.class).getDeadLetterRetention())
				.isEqualTo(configured));
	}

	@Test
	void theRabbitDeadLetterQueueIsDeclaredWithTheRetentionAsItsArguments() {
		this.runner.withUserConfiguration(RabbitAutoConfigurationTests.MockRabbit.class)
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=rabbitmq",
					"taskqueue.dead-letters.max-count=50", "taskqueue.dead-letters.max-age=1h")
			.run((context) -> {
				assertThat(context.getBean(RabbitBroker.class).getDeadLetterRetention())
					.isEqualTo(new DeadLetterRetention(50, Duration.ofHours(1)));
				verify(context.getBean(AmqpAdmin.class)).declareQueue(argThat((Queue queue) -> queue.getName()
					.equals("taskqueue.dead-letter") && queue.isDurable()
						&& queue.getArguments()
							.equals(Map.of("x-max-length", 50, "x-overflow", "drop-head", "x-message-ttl", 3_600_000))));
			});
	}

	@Test
	void theOldestBeyondTheMaxCountAreDroppedFromWhatTheWorkerDeadLetters() {
		this.runner.withPropertyValues("taskqueue.dead-letters.max-count=2").run((context) -> {
			DeadLetterQueue deadLetters = context.getBean(Operator.class).deadLetters;
			TaskClient client = context.getBean(TaskClient.class);
			String first = client.send("no.such.task", 1).id();
			await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.listDeadLetters("celery", 10).size() == 1);
			String second = client.send("no.such.task", 2).id();
			await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.listDeadLetters("celery", 10).size() == 2);
			String third = client.send("no.such.task", 3).id();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> deadLetters.listDeadLetters("celery", 10)
					.stream()
					.map((letter) -> letter.envelope().correlationId())
					.toList()
					.equals(List.of(second, third)));
			assertThat(first).isNotIn(second, third);
		});
	}

	@Test
	void aRetentionThatKeepsNothingStopsTheStartWithTheProperty() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.dead-letters.max-count=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.dead-letters"));
	}

	@Component
	static class Operator {

		final DeadLetterQueue deadLetters;

		Operator(ObjectProvider<DeadLetterQueue> deadLetters) {
			this.deadLetters = deadLetters.getIfAvailable();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBroker {

		@Bean
		Broker ownBroker() {
			return new Broker() {

				@Override
				public void publish(String queue, Envelope envelope) {
				}

				@Override
				public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
					return () -> {
					};
				}

			};
		}

	}

}
