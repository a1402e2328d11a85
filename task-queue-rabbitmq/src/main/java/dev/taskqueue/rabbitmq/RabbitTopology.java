package dev.taskqueue.rabbitmq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;

/**
 * The exchanges, queues and bindings an application declares at start-up, plus the queues it uses but does
 * not describe (declared as Celery declares them: durable, no arguments, so that a Celery worker's own declare
 * does not clash) and the dead-letter queue. A declaration RabbitMQ refuses because the queue or exchange
 * already exists with other arguments fails with a {@link TopologyException} that names it and the argument.
 */
public class RabbitTopology {

	private static final Logger logger = LoggerFactory.getLogger(RabbitTopology.class);

	private final AmqpAdmin admin;

	private final List<Exchange> exchanges;

	private final List<Queue> queues;

	private final List<Binding> bindings;

	/**
	 * Create a topology.
	 * @param admin what declares it
	 * @param exchanges the exchanges
	 * @param queues the queues described
	 * @param bindings the bindings
	 */
	public RabbitTopology(AmqpAdmin admin, List<Exchange> exchanges, List<Queue> queues, List<Binding> bindings) {
		this.admin = admin;
		this.exchanges = List.copyOf(exchanges);
		this.queues = List.copyOf(queues);
		this.bindings = List.copyOf(bindings);
	}

	/**
	 * Declare everything, in order: exchanges, the described queues, the other queues used, bindings.
	 * @param usedQueues the queues the application consumes or routes to
	 * @param deadLetterQueue the dead-letter queue, or {@code null} for none
	 * @throws TopologyException if RabbitMQ refuses a declaration
	 */
	public void declare(Collection<String> usedQueues, @Nullable String deadLetterQueue) {
		for (Exchange exchange : this.exchanges) {
			run("exchange '" + exchange.getName() + "'", () -> this.admin.declareExchange(exchange));
		}
		Set<String> described = new LinkedHashSet<>();
		for (Queue queue : this.queues) {
			declareQueue(queue);
			described.add(queue.getName());
		}
		List<String> missing = new ArrayList<>(usedQueues);
		if (deadLetterQueue != null) {
			missing.add(deadLetterQueue);
		}
		for (String name : new LinkedHashSet<>(missing)) {
			if (!described.contains(name)) {
				declareQueue(new Queue(name, true, false, false));
			}
		}
		for (Binding binding : this.bindings) {
			run("binding of queue '" + binding.getDestination() + "' to exchange '" + binding.getExchange() + "'",
					() -> this.admin.declareBinding(binding));
		}
		logger.debug("Declared {} exchange(s), {} queue(s) and {} binding(s)", this.exchanges.size(),
				described.size() + missing.size(), this.bindings.size());
	}

	/**
	 * The queues described as quorum queues.
	 * @return their names
	 */
	public Set<String> quorumQueues() {
		Set<String> names = new LinkedHashSet<>();
		for (Queue queue : this.queues) {
			if ("quorum".equals(String.valueOf(queue.getArguments().get("x-queue-type")))) {
				names.add(queue.getName());
			}
		}
		return names;
	}

	private void declareQueue(Queue queue) {
		run("queue '" + queue.getName() + "'", () -> this.admin.declareQueue(queue));
	}

	private void run(String what, Runnable declaration) {
		try {
			declaration.run();
		}
		catch (RuntimeException ex) {
			AMQP.Channel.Close close = channelClose(ex);
			if (close != null && close.getReplyCode() == AMQP.PRECONDITION_FAILED) {
				throw new TopologyException("RabbitMQ already has " + what + " with other settings: "
						+ close.getReplyText() + ". Delete it on the broker or describe it as it is under "
						+ "taskqueue.rabbitmq", ex);
			}
			if (close != null) {
				throw new TopologyException("RabbitMQ refused to declare " + what + ": " + close.getReplyText(), ex);
			}
			throw new TopologyException("Could not declare " + what + ": " + ex.getMessage(), ex);
		}
	}

	private static AMQP.Channel.@Nullable Close channelClose(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close) {
				return close;
			}
		}
		return null;
	}

	/**
	 * Build an exchange.
	 * @param name its name
	 * @param type direct, topic, fanout or headers
	 * @param durable whether it survives a restart
	 * @param autoDelete whether it goes with its last binding
	 * @param arguments extra arguments
	 * @return the exchange
	 */
	public static Exchange exchange(String name, String type, boolean durable, boolean autoDelete,
			Map<String, ?> arguments) {
		ExchangeBuilder builder = new ExchangeBuilder(name, type).durable(durable);
		if (autoDelete) {
			builder.autoDelete();
		}
		builder.withArguments(typed(arguments));
		return builder.build();
	}

	/**
	 * Convert argument values written as text (YAML) to the types RabbitMQ expects: integers, booleans, text.
	 * @param arguments the arguments
	 * @return the typed arguments
	 */
	public static Map<String, Object> typed(Map<String, ?> arguments) {
		Map<String, Object> typed = new LinkedHashMap<>();
		arguments.forEach((name, value) -> typed.put(name, typed(value)));
		return typed;
	}

	private static Object typed(Object value) {
		if (!(value instanceof String text)) {
			return value;
		}
		if (text.matches("-?\\d{1,18}")) {
			long number = Long.parseLong(text);
			return (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) ? (Object) (int) number : (Object) number;
		}
		if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
			return Boolean.parseBoolean(text);
		}
		return text;
	}

}
