package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;
import org.mockito.Answers;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.control.CeleryRevocations;
import dev.taskqueue.rabbitmq.RabbitBroker;
import dev.taskqueue.rabbitmq.RabbitRevocations;
import dev.taskqueue.rabbitmq.RabbitTopology;
import dev.taskqueue.rabbitmq.RpcResultBackend;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.Revocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * When the RabbitMQ broker and the rpc result backend are configured, and when they back off. The
 * connection is a mock: what they do on a real broker is in the {@code *IT} tests.
 */
class RabbitAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withUserConfiguration(MockRabbit.class)
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void rabbitBrokerWhenAskedFor() {
		this.runner.withPropertyValues("taskqueue.broker=rabbitmq", "taskqueue.default-queue=orders").run((context) -> {
			assertThat(context).hasSingleBean(RabbitBroker.class).hasSingleBean(RabbitTopology.class);
			assertThat(context.getBean(Broker.class)).isInstanceOf(RabbitBroker.class);
			// shared with Celery's workers through celery.pidbox
			assertThat(context.getBean(Revocations.class)).isInstanceOf(CeleryRevocations.class);
			AmqpAdmin admin = context.getBean(AmqpAdmin.class);
			// the default queue is declared at start-up, durable and without arguments, and the dead-letter queue too
			// (with the arguments of its retention, see DeadLetterQueueConfigurationTests)
			verify(admin).declareQueue(argThat((Queue queue) -> queue.getName().equals("orders") && queue.isDurable()
					&& queue.getArguments().isEmpty()));
			verify(admin).declareQueue(argThat((Queue queue) -> queue.getName().equals("taskqueue.dead-letter")));
		});
	}

	@Test
	void missingQueuesAreCreatedOnFirstSendUnlessTurnedOff() {
		this.runner.withPropertyValues("taskqueue.broker=rabbitmq")
			.run((context) -> assertThat(context.getBean(RabbitBroker.class).getSettings().createMissingQueues())
				.isTrue());
		this.runner.withPropertyValues("taskqueue.broker=rabbitmq", "taskqueue.rabbitmq.create-missing-queues=false")
			.run((context) -> assertThat(context.getBean(RabbitBroker.class).getSettings().createMissingQueues())
				.isFalse());
	}

	@Test
	void revocationsStayAmongOurWorkersWhenAskedTo() {
		this.runner.withPropertyValues("taskqueue.broker=rabbitmq", "taskqueue.celery-control=false")
			.run((context) -> assertThat(context.getBean(Revocations.class)).isExactlyInstanceOf(RabbitRevocations.class));
	}

	@Test
	void celeryControlOffKeepsRevocationsAmongOurWorkersAndOnOrAutoSharesThem() {
		this.runner.withPropertyValues("taskqueue.broker=rabbitmq", "taskqueue.celery-control=off")
			.run((context) -> assertThat(context.getBean(Revocations.class))
				.isExactlyInstanceOf(RabbitRevocations.class));
		for (String value : new String[] { "on", "auto", "true" }) {
			this.runner.withPropertyValues("taskqueue.broker=rabbitmq", "taskqueue.celery-control=" + value)
				.run((context) -> assertThat(context.getBean(Revocations.class)).isInstanceOf(CeleryRevocations.class));
		}
	}

	@Test
	void aRabbitBrokerWithoutSpringBootsConnectionFailsNamingTheRabbitStarter() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=rabbitmq")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(MissingTransportException.class)
				.hasMessageContaining("no org.springframework.amqp.rabbit.connection.ConnectionFactory bean")
				.hasMessageContaining("dev.taskqueue:task-queue-spring-boot-starter-rabbitmq"));
	}

	@Test
	void memoryBrokerByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryBroker.class)
				.doesNotHaveBean(RabbitBroker.class)
				.doesNotHaveBean(RabbitTopology.class);
		});
	}

	@Test
	void rabbitBrokerBacksOffForTheApplicationsBroker() {
		this.runner.withUserConfiguration(OwnBroker.class).withPropertyValues("taskqueue.broker=rabbitmq").run((context) -> {
			assertThat(context).doesNotHaveBean(RabbitBroker.class);
			assertThat(context.getBean(Broker.class)).isSameAs(context.getBean(OwnBroker.class).broker);
		});
	}

	@Test
	void noRabbitBrokerWithoutSpringRabbit() {
		// nothing silently falls back to another broker: the application asked for RabbitMQ
		this.runner.withClassLoader(new FilteredClassLoader(ConnectionFactory.class))
			.withPropertyValues("taskqueue.broker=rabbitmq")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("dev.taskqueue.broker.Broker"));
	}

	@Test
	void rpcResultBackendWhenAskedFor() {
		this.runner.withPropertyValues("taskqueue.result-backend=rpc").run((context) -> {
			assertThat(context).hasSingleBean(RpcResultBackend.class);
			ResultBackend backend = context.getBean(ResultBackend.class);
			assertThat(backend.replyTo()).isNotBlank();
		});
	}

	@Test
	void memoryResultBackendByDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(InMemoryResultBackend.class)
			.doesNotHaveBean(RpcResultBackend.class));
	}

	@Test
	void rpcResultBackendBacksOffForTheApplicationsBackend() {
		this.runner.withPropertyValues("taskqueue.result-backend=rpc")
			.withBean("ownBackend", ResultBackend.class, () -> mock(ResultBackend.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RpcResultBackend.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class MockRabbit {

		@Bean
		ConnectionFactory connectionFactory() {
			return mock(ConnectionFactory.class, Answers.RETURNS_DEEP_STUBS);
		}

		@Bean
		AmqpAdmin amqpAdmin() {
			return mock(AmqpAdmin.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBroker {

		final Broker broker = new InMemoryBroker();

		@Bean
		Broker ownBroker() {
			return this.broker;
		}

	}

}
