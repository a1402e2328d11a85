package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.redis.RedisResultBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property that names a transport the application does not have fails the start-up with a failure analysis
 * that names the starter to add, whatever is missing: the transport module, its client library, or the
 * connection Spring Boot configures. Nothing here connects to Redis or RabbitMQ.
 */
class MissingTransportFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void aRedisBrokerWithoutTheRedisTransportNamesTheRedisStarter() {
		this.runner.withClassLoader(new FilteredClassLoader("dev.taskqueue.redis"))
			.withPropertyValues("taskqueue.broker=redis")
			.run((context) -> {
				FailureAnalysis analysis = analysisOf(context);
				assertThat(analysis.getDescription()).isEqualTo("taskqueue.broker=redis needs Redis, but the Redis "
						+ "transport (dev.taskqueue:task-queue-redis) is not on the class path (no "
						+ "dev.taskqueue.redis.RedisBroker).");
				assertThat(analysis.getAction()).isEqualTo("Add the dependency "
						+ "dev.taskqueue:task-queue-spring-boot-starter-redis to the application (it brings the Redis "
						+ "transport, Spring Data Redis and spring-boot-starter-data-redis, configured by "
						+ "spring.data.redis.*), or set taskqueue.broker to memory, rabbitmq or sqs.");
			});
	}

	@Test
	void aRedisResultBackendWithoutSpringDataRedisNamesTheRedisStarter() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.result-backend=redis")
			.run((context) -> {
				FailureAnalysis analysis = analysisOf(context);
				assertThat(analysis.getDescription()).isEqualTo("taskqueue.result-backend=redis needs Redis, but "
						+ "Spring Data Redis is not on the class path (no "
						+ "org.springframework.data.redis.connection.RedisConnectionFactory).");
				assertThat(analysis.getAction()).contains("dev.taskqueue:task-queue-spring-boot-starter-redis")
					.endsWith("or set taskqueue.result-backend to memory, none or rpc.");
			});
	}

	@Test
	void aRedisBrokerWithoutSpringBootsRedisConnectionNamesTheRedisStarter() {
		// the transport and Spring Data Redis are there, but not spring-boot-starter-data-redis
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker=redis")
			.run((context) -> {
				FailureAnalysis analysis = analysisOf(context);
				assertThat(analysis.getDescription()).isEqualTo("taskqueue.broker=redis needs Redis, but there is "
						+ "no org.springframework.data.redis.connection.RedisConnectionFactory bean, which Spring Boot "
						+ "configures from spring.data.redis.* with spring-boot-starter-data-redis.");
				assertThat(analysis.getAction()).contains("dev.taskqueue:task-queue-spring-boot-starter-redis");
			});
	}

	@Test
	void aRabbitBrokerWithoutSpringAmqpNamesTheRabbitStarter() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.amqp"))
			.withPropertyValues("taskqueue.broker=rabbitmq")
			.run((context) -> {
				FailureAnalysis analysis = analysisOf(context);
				assertThat(analysis.getDescription()).isEqualTo("taskqueue.broker=rabbitmq needs RabbitMQ, but "
						+ "Spring AMQP is not on the class path (no "
						+ "org.springframework.amqp.rabbit.connection.ConnectionFactory).");
				assertThat(analysis.getAction()).isEqualTo("Add the dependency "
						+ "dev.taskqueue:task-queue-spring-boot-starter-rabbitmq to the application (it brings the "
						+ "RabbitMQ transport, Spring AMQP and spring-boot-starter-amqp, configured by "
						+ "spring.rabbitmq.*), or set taskqueue.broker to memory, redis or sqs.");
			});
	}

	@Test
	void anRpcResultBackendWithoutTheRabbitTransportNamesTheRabbitStarter() {
		this.runner.withClassLoader(new FilteredClassLoader("dev.taskqueue.rabbitmq"))
			.withPropertyValues("taskqueue.result-backend=rpc")
			.run((context) -> {
				FailureAnalysis analysis = analysisOf(context);
				assertThat(analysis.getDescription()).isEqualTo("taskqueue.result-backend=rpc needs RabbitMQ, but the "
						+ "RabbitMQ transport (dev.taskqueue:task-queue-rabbitmq) is not on the class path (no "
						+ "dev.taskqueue.rabbitmq.RabbitBroker).");
				assertThat(analysis.getAction()).contains("dev.taskqueue:task-queue-spring-boot-starter-rabbitmq")
					.endsWith("or set taskqueue.result-backend to memory, none or redis.");
			});
	}

	@Test
	void theFailureNamesWhatCannotBeCreated() {
		this.runner.withClassLoader(new FilteredClassLoader("dev.taskqueue.redis"))
			.withPropertyValues("taskqueue.broker=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(MissingTransportException.class)
				.hasMessage("Cannot create the dev.taskqueue.broker.Broker for taskqueue.broker=redis: the Redis "
						+ "transport (dev.taskqueue:task-queue-redis) is not on the class path (no "
						+ "dev.taskqueue.redis.RedisBroker). Add dev.taskqueue:task-queue-spring-boot-starter-redis, "
						+ "or set taskqueue.broker to memory, rabbitmq or sqs"));
	}

	@Test
	void theApplicationsOwnBrokerNeedsNoTransport() {
		this.runner.withClassLoader(new FilteredClassLoader("dev.taskqueue.redis"))
			.withPropertyValues("taskqueue.broker=redis")
			.withBean("ownBroker", Broker.class, InMemoryBroker::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Broker.class)).isSameAs(context.getBean("ownBroker"));
			});
	}

	@Test
	void aTransportThatIsThereStartsAsBefore() {
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.result-backend=redis").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RedisBroker.class).hasSingleBean(RedisResultBackend.class);
		});
	}

	@Test
	void anUnknownBrokerFailsWithBootsAnalysisListingTheKnownOnes() {
		this.runner.withPropertyValues("taskqueue.broker=kafka").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("taskqueue.broker").contains("kafka");
			assertThat(analysis.getAction()).contains("MEMORY").contains("REDIS").contains("RABBITMQ");
		});
	}

	@Test
	void theAnalyzerIsRegisteredWithSpringBoot() {
		assertThat(analyzers()).hasAtLeastOneElementOfType(MissingTransportFailureAnalyzer.class);
	}

	/**
	 * The analysis Spring Boot reports for the context's start-up failure, by the analyzers it loads from
	 * {@code spring.factories} in their order, and that it is ours.
	 */
	private static FailureAnalysis analysisOf(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(MissingTransportException.class);
		return Objects.requireNonNull(analysis);
	}

	private static FailureAnalysis analyze(Throwable failure) {
		return analyzers().stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static List<FailureAnalyzer> analyzers() {
		// the arguments that Spring Boot's FailureAnalyzers offers the analyzers' constructors
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		// and, as it does, leave out those whose classes are not on this class path (web, ...)
		FailureHandler skipping = FailureHandler.handleMessage((message, failure) -> {
		});
		ClassLoader classLoader = MissingTransportFailureAnalyzerTests.class.getClassLoader();
		return SpringFactoriesLoader.forDefaultResourceLocation(classLoader)
			.load(FailureAnalyzer.class, arguments, skipping);
	}

}
