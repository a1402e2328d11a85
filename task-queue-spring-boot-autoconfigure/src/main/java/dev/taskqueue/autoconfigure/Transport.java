package dev.taskqueue.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * A transport that {@code taskqueue.broker} or {@code taskqueue.result-backend} can name, with what it needs
 * at run time (its module and client library on the class path, the connection Spring Boot configures in the
 * context) and the starter that brings all of it.
 */
enum Transport {

	/** Redis: the broker, the result backend and cluster-wide rate limits. */
	REDIS("Redis", "dev.taskqueue:task-queue-spring-boot-starter-redis",
			"org.springframework.data.redis.connection.RedisConnectionFactory", "spring-boot-starter-data-redis",
			"spring.data.redis.*",
			new Library("dev.taskqueue.redis.RedisBroker", "the Redis transport (dev.taskqueue:task-queue-redis)"),
			new Library("org.springframework.data.redis.connection.RedisConnectionFactory", "Spring Data Redis")),

	/** RabbitMQ: the broker and the rpc result backend. */
	RABBITMQ("RabbitMQ", "dev.taskqueue:task-queue-spring-boot-starter-rabbitmq",
			"org.springframework.amqp.rabbit.connection.ConnectionFactory", "spring-boot-starter-amqp",
			"spring.rabbitmq.*",
			new Library("dev.taskqueue.rabbitmq.RabbitBroker",
					"the RabbitMQ transport (dev.taskqueue:task-queue-rabbitmq)"),
			new Library("org.springframework.amqp.rabbit.connection.ConnectionFactory", "Spring AMQP"),
			new Library("org.springframework.amqp.rabbit.core.RabbitAdmin", "Spring AMQP")),

	/** Amazon SQS: the broker only (Celery has no SQS result backend). Its client is ours, not Spring Boot's. */
	SQS("Amazon SQS", "dev.taskqueue:task-queue-spring-boot-starter-sqs", null, null, "taskqueue.sqs.*",
			new Library("dev.taskqueue.sqs.SqsBroker", "the SQS transport (dev.taskqueue:task-queue-sqs)"),
			new Library("software.amazon.awssdk.services.sqs.SqsClient", "the AWS SDK's SQS client"));

	static final String BROKER_PROPERTY = "taskqueue.broker";

	static final String RESULT_BACKEND_PROPERTY = "taskqueue.result-backend";

	private final String displayName;

	private final String starter;

	private final @Nullable String connectionFactory;

	private final @Nullable String bootStarter;

	private final String connectionProperties;

	private final List<Library> libraries;

	Transport(String displayName, String starter, @Nullable String connectionFactory, @Nullable String bootStarter,
			String connectionProperties, Library... libraries) {
		this.displayName = displayName;
		this.starter = starter;
		this.connectionFactory = connectionFactory;
		this.bootStarter = bootStarter;
		this.connectionProperties = connectionProperties;
		this.libraries = List.of(libraries);
	}

	/**
	 * The transport that a value of {@code taskqueue.broker} or {@code taskqueue.result-backend} needs.
	 * @param property {@link #BROKER_PROPERTY} or {@link #RESULT_BACKEND_PROPERTY}
	 * @param value its value as written, or null if it is not set
	 * @return the transport, or null for a value that needs none (memory, none) or is unknown (binding
	 * refuses those)
	 */
	static @Nullable Transport neededBy(String property, @Nullable String value) {
		if (value == null) {
			return null;
		}
		String name = value.trim().toLowerCase(Locale.ROOT);
		if (name.equals("redis")) {
			return REDIS;
		}
		if (BROKER_PROPERTY.equals(property) ? name.equals("rabbitmq") : name.equals("rpc")) {
			return RABBITMQ;
		}
		if (BROKER_PROPERTY.equals(property) && name.equals("sqs")) {
			return SQS;
		}
		return null;
	}

	/**
	 * The values a property could take instead, for a failure's suggested action.
	 * @param property {@link #BROKER_PROPERTY} or {@link #RESULT_BACKEND_PROPERTY}
	 * @param value the value that cannot be honoured
	 * @return the other values, as written in configuration
	 */
	static List<String> alternatives(String property, String value) {
		Enum<?>[] values = BROKER_PROPERTY.equals(property) ? TaskQueueProperties.BrokerType.values()
				: TaskQueueProperties.ResultBackendType.values();
		return Arrays.stream(values)
			.map((constant) -> constant.name().toLowerCase(Locale.ROOT))
			.filter((name) -> !name.equalsIgnoreCase(value.trim()))
			.toList();
	}

	/**
	 * The values a property could take instead, as a phrase.
	 * @param property {@link #BROKER_PROPERTY} or {@link #RESULT_BACKEND_PROPERTY}
	 * @param value the value that cannot be honoured
	 * @return "memory or rabbitmq", "memory, none or rpc"...
	 */
	static String alternativesPhrase(String property, String value) {
		List<String> alternatives = alternatives(property, value);
		int last = alternatives.size() - 1;
		return (last < 1) ? String.join("", alternatives)
				: String.join(", ", alternatives.subList(0, last)) + " or " + alternatives.get(last);
	}

	/**
	 * What this transport lacks at run time.
	 * @param classLoader the application's class loader
	 * @param beanFactory the bean factory, or null to check the class path only
	 * @return what is missing, as a phrase ("... is not on the class path"), or null if nothing is
	 */
	@Nullable String missing(@Nullable ClassLoader classLoader, @Nullable ListableBeanFactory beanFactory) {
		for (Library library : this.libraries) {
			if (!ClassUtils.isPresent(library.className(), classLoader)) {
				return library.description() + " is not on the class path (no " + library.className() + ")";
			}
		}
		// as @ConditionalOnBean looks for it, so that this agrees with the transport's own configuration
		if (beanFactory != null && this.connectionFactory != null && BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory,
				ClassUtils.resolveClassName(this.connectionFactory, classLoader), true, false).length == 0) {
			return "there is no " + this.connectionFactory + " bean, which Spring Boot configures from "
					+ this.connectionProperties + " with " + this.bootStarter;
		}
		return null;
	}

	String displayName() {
		return this.displayName;
	}

	/**
	 * The starter an application adds to use this transport.
	 * @return its Maven coordinates, {@code groupId:artifactId}
	 */
	String starter() {
		return this.starter;
	}

	/**
	 * What the starter brings, for a failure's suggested action.
	 * @return a phrase naming the transport module, the client library and Spring Boot's starter
	 */
	String starterContents() {
		String library = this.libraries.get(this.libraries.size() - 1).description();
		if (this.bootStarter == null) {
			return "the " + this.displayName + " transport and " + library + ", configured by "
					+ this.connectionProperties;
		}
		return "the " + this.displayName + " transport, " + library + " and " + this.bootStarter + ", configured by "
				+ this.connectionProperties;
	}

	/**
	 * A library the transport needs, recognised by one of its classes.
	 */
	private record Library(String className, String description) {
	}

}
