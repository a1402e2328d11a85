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
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.DeadLetterRetention;

/**
 * The exchanges, queues and bindings an application declares at start-up, plus the queues it uses but does
 * not describe (declared as Celery declares them: durable, no arguments, so that a Celery worker's own declare
 * does not clash) and the dead-letter queue, capped by its retention ({@code x-max-length} with
 * {@code x-overflow: drop-head}, {@code x-message-ttl}). A declaration RabbitMQ refuses because the queue or
 * exchange already exists with other arguments fails with a {@link TopologyException} that names it and the
 * argument; except the dead-letter queue's: one declared earlier without the retention (or with other values) is
 * used as it is, with a warning that says how to cap it, since RabbitMQ cannot change a queue's arguments.
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
	 * Declare everything, in order: exchanges, the described queues, the other queues used, bindings; the
	 * dead-letter queue within the {@linkplain DeadLetterRetention#defaults() default retention}.
	 * @param usedQueues the queues the application consumes or routes to
	 * @param deadLetterQueue the dead-letter queue, or {@code null} for none
	 * @throws TopologyException if RabbitMQ refuses a declaration
	 */
	public void declare(Collection<String> usedQueues, @Nullable String deadLetterQueue) {
		declare(usedQueues, deadLetterQueue, DeadLetterRetention.defaults());
	}

	/**
	 * Declare everything, in order: exchanges, the described queues, the other queues used, bindings.
	 * @param usedQueues the queues the application consumes or routes to
	 * @param deadLetterQueue the dead-letter queue, or {@code null} for none; unless described, it is declared
	 * with the retention's arguments
	 * @param retention how many dead letters the dead-letter queue keeps (all queues' together), and how long
	 * @throws TopologyException if RabbitMQ refuses a declaration
	 */
	public void declare(Collection<String> usedQueues, @Nullable String deadLetterQueue,
			DeadLetterRetention retention) {
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
			missing.removeIf(deadLetterQueue::equals);
		}
		for (String name : new LinkedHashSet<>(missing)) {
			if (!described.contains(name)) {
				declareQueue(new Queue(name, true, false, false));
			}
		}
		if (deadLetterQueue != null && !described.contains(deadLetterQueue)) {
			declareDeadLetterQueue(deadLetterQueue, retention);
			missing.add(deadLetterQueue);
		}
		for (Binding binding : this.bindings) {
			run("binding of queue '" + binding.getDestination() + "' to exchange '" + binding.getExchange() + "'",
					() -> this.admin.declareBinding(binding));
		}
		logger.debug("Declared {} exchange(s), {} queue(s) and {} binding(s)", this.exchanges.size(),
				described.size() + missing.size(), this.bindings.size());
	}

	/**
	 * The arguments that keep a dead-letter queue within a retention: RabbitMQ drops the oldest beyond the count
	 * and expires those older than the age, for the whole queue.
	 * @param retention the retention
	 * @return the queue arguments
	 */
	public static Map<String, Object> retentionArguments(DeadLetterRetention retention) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-max-length", retention.maxCount());
		arguments.put("x-overflow", "drop-head");
		long ttl = retention.maxAge().toMillis();
		// an int when it fits, as RabbitMQ compares the type too when the queue is declared again
		arguments.put("x-message-ttl", (ttl <= Integer.MAX_VALUE) ? (Object) (int) ttl : (Object) ttl);
		return arguments;
	}

	private void declareDeadLetterQueue(String name, DeadLetterRetention retention) {
		Map<String, Object> arguments = retentionArguments(retention);
		try {
			declareQueue(new Queue(name, true, false, false, arguments));
		}
		catch (TopologyException ex) {
			AMQP.Channel.Close close = channelClose(ex);
			if (close == null || close.getReplyCode() != AMQP.PRECONDITION_FAILED) {
				throw ex;
			}
			// declared by an earlier version (without a cap) or with another retention: usable as it is
			String policy = "{\"max-length\":" + retention.maxCount() + ",\"overflow\":\"drop-head\",\"message-ttl\":"
					+ retention.maxAge().toMillis() + "}";
			logger.warn("The dead-letter queue '{}' exists with other arguments than taskqueue.dead-letters.* ask for "
					+ "({}): {}. RabbitMQ cannot change a queue's arguments, so its dead letters are NOT kept within "
					+ "max-count {} and max-age {} until you either apply them as a policy: rabbitmqctl set_policy -p "
					+ "{} taskqueue-dead-letters '^{}$' '{}' --apply-to queues (takes effect at once, no restart), "
					+ "or move its messages away, delete the queue, and restart, which declares it with them", name,
					arguments, close.getReplyText(), retention.maxCount(), retention.maxAge(), virtualHost(),
					name.replace(".", "\\."), policy);
		}
	}

	private String virtualHost() {
		if (this.admin instanceof RabbitAdmin rabbitAdmin) {
			return rabbitAdmin.getRabbitTemplate().getConnectionFactory().getVirtualHost();
		}
		return "<your virtual host>";
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
