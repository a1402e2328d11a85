package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.rabbitmq.RabbitBroker;
import dev.taskqueue.rabbitmq.RabbitBrokerSettings;
import dev.taskqueue.rabbitmq.RabbitPidboxTransport;
import dev.taskqueue.rabbitmq.RabbitRevocations;
import dev.taskqueue.rabbitmq.RabbitTopology;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.revoke.Revocations;

/**
 * {@code taskqueue.broker=rabbitmq}: the RabbitMQ broker on the connection Spring Boot configures
 * ({@code spring.rabbitmq.*}), and the topology of {@code taskqueue.rabbitmq.*} declared at start-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ConnectionFactory.class, RabbitAdmin.class, RabbitBroker.class })
@ConditionalOnBean(ConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "rabbitmq")
final class RabbitBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RabbitTopology taskRabbitTopology(ConnectionFactory connectionFactory, ObjectProvider<AmqpAdmin> admin,
			TaskQueueProperties properties) {
		TaskQueueProperties.Rabbitmq rabbitmq = properties.getRabbitmq();
		List<Exchange> exchanges = new ArrayList<>();
		rabbitmq.getExchanges()
			.forEach((exchange) -> exchanges.add(RabbitTopology.exchange(exchange.getName(), exchange.getType().value(),
					exchange.isDurable(), exchange.isAutoDelete(), exchange.getArguments())));
		List<Queue> queues = new ArrayList<>();
		rabbitmq.getQueues().forEach((queue) -> queues.add(queue(queue)));
		List<Binding> bindings = new ArrayList<>();
		rabbitmq.getBindings()
			.forEach((binding) -> bindings.add(new Binding(binding.getQueue(), Binding.DestinationType.QUEUE,
					binding.getExchange(), binding.getRoutingKey(), RabbitTopology.typed(binding.getArguments()))));
		return new RabbitTopology(admin(connectionFactory, admin), exchanges, queues, bindings);
	}

	@Bean
	@ConditionalOnMissingBean
	PidboxTransport taskPidboxTransport(ConnectionFactory connectionFactory) {
		return new RabbitPidboxTransport(connectionFactory);
	}

	@Bean
	@ConditionalOnMissingBean(Revocations.class)
	Revocations taskRevocations(ConnectionFactory connectionFactory, TaskQueueProperties properties,
			PidboxTransport pidbox, ObjectProvider<JsonMapper> mapper, LamportClock clock) {
		RabbitRevocations revocations = new RabbitRevocations(connectionFactory,
				properties.getWorker().getRevocationWindow(), TaskQueueAutoConfiguration.CLOCK);
		// nothing on RabbitMQ sets the application apart from Celery, so auto means on
		if (!properties.getCeleryControl().isEnabled(true)) {
			return revocations;
		}
		return TaskQueueAutoConfiguration.celeryRevocations(revocations, pidbox,
				TaskQueueAutoConfiguration.jsonMapper(mapper), clock);
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	RabbitBroker taskBroker(ConnectionFactory connectionFactory, ObjectProvider<AmqpAdmin> admin,
			TaskQueueProperties properties, RabbitTopology topology) {
		TaskQueueProperties.Rabbitmq rabbitmq = properties.getRabbitmq();
		Set<String> consumed = new LinkedHashSet<>(
				TaskQueueSettings.consumedQueues(properties));
		boolean quorumConsumed = topology.quorumQueues().stream().anyMatch(consumed::contains);
		RabbitBrokerSettings settings = new RabbitBrokerSettings(rabbitmq.getDeadLetterQueue(),
				rabbitmq.getDelayExchange(), rabbitmq.getConfirmTimeout(), rabbitmq.getRecoveryInterval(),
				!quorumConsumed, (int) properties.getMaxMessageSize().toBytes(), rabbitmq.isCreateMissingQueues(),
				rabbitmq.getConsumerTimeout());
		return new RabbitBroker(connectionFactory, admin(connectionFactory, admin), settings,
				TaskQueueAutoConfiguration.CLOCK, TaskQueueSettings.deadLetterRetention(properties));
	}

	/**
	 * Declares the topology once every bean exists (so every @Task's queue is known) and before the worker
	 * starts consuming; a clash fails the start-up.
	 */
	@Bean
	static SmartInitializingSingleton taskRabbitTopologyDeclaration(ObjectProvider<RabbitTopology> topology,
			ObjectProvider<TaskQueueProperties> properties, ObjectProvider<TaskRegistry> registry) {
		return () -> {
			TaskQueueProperties settings = properties.getObject();
			Set<String> used = new LinkedHashSet<>();
			if (settings.getRabbitmq().isDeclareMissingQueues()) {
				used.add(settings.getDefaultQueue());
				used.addAll(TaskQueueSettings.consumedQueues(settings));
				for (TaskDefinition task : registry.getObject().all()) {
					if (task.options().queue() != null) {
						used.add(task.options().queue());
					}
				}
			}
			topology.getObject().declare(used, settings.getRabbitmq().getDeadLetterQueue(),
					TaskQueueSettings.deadLetterRetention(settings));
		};
	}

	private static AmqpAdmin admin(ConnectionFactory connectionFactory, ObjectProvider<AmqpAdmin> admin) {
		return admin.getIfAvailable(() -> new RabbitAdmin(connectionFactory));
	}

	private static Queue queue(TaskQueueProperties.Rabbitmq.Queue queue) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		if (queue.getMaxPriority() != null) {
			arguments.put("x-max-priority", queue.getMaxPriority());
		}
		if (queue.isQuorum()) {
			arguments.put("x-queue-type", "quorum");
		}
		if (queue.getMessageTtl() != null) {
			arguments.put("x-message-ttl", (int) Math.min(Integer.MAX_VALUE, queue.getMessageTtl().toMillis()));
		}
		if (queue.getMaxLength() != null) {
			arguments.put("x-max-length", queue.getMaxLength());
		}
		if (queue.getDeadLetterExchange() != null) {
			arguments.put("x-dead-letter-exchange", queue.getDeadLetterExchange());
		}
		if (queue.getDeadLetterRoutingKey() != null) {
			arguments.put("x-dead-letter-routing-key", queue.getDeadLetterRoutingKey());
		}
		arguments.putAll(RabbitTopology.typed(queue.getArguments()));
		return new Queue(queue.getName(), queue.isDurable() || queue.isQuorum(), false, queue.isAutoDelete(),
				arguments);
	}

}
