package dev.taskqueue.rabbitmq;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;

/**
 * Declares, on the first send to it, a queue that does not exist, as Celery does with
 * {@code task_create_missing_queues} (on by default): kombu's {@code Queue(name, Exchange(name), name)}, that
 * is a durable queue without arguments, bound with its name as routing key to a durable direct exchange of
 * its name. So a message sent before its consumer (a Celery worker, say) has declared the queue waits there,
 * and that consumer's own declaration later finds the same queue and does not fail.
 * <p>
 * Each queue is looked at once: a passive declare first, so that a queue that exists (declared at start-up
 * with arguments, or by a peer) is left exactly as it is; only a queue that is not there is declared. The
 * answer is cached, and forgotten when a send to the queue fails, so that a queue deleted later is declared
 * again by the next send. A declaration RabbitMQ refuses does not fail the send: the publish, mandatory,
 * still says whether the message found a queue.
 */
final class MissingQueues {

	private static final Logger logger = LoggerFactory.getLogger(MissingQueues.class);

	private final AmqpAdmin admin;

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	MissingQueues(AmqpAdmin admin) {
		this.admin = admin;
	}

	/**
	 * Make sure a queue exists before a message is sent to it; declared as Celery declares it if not.
	 * @param queue the queue
	 */
	void ensure(String queue) {
		if (queue.isEmpty() || this.known.contains(queue)) {
			return;
		}
		try {
			if (this.admin.getQueueProperties(queue) == null) {
				declare(queue);
			}
			this.known.add(queue);
		}
		catch (AmqpException ex) {
			if (refusedAsInequivalent(ex)) {
				// declared by someone else, with arguments, between the look and the declaration: it exists
				this.known.add(queue);
				return;
			}
			if (ex instanceof AmqpConnectException) {
				// the send fails the same way and says so
				logger.debug("Could not look for queue '{}' before sending: {}", queue, ex.toString());
			}
			else {
				logger.warn("Could not declare queue '{}' on first send ({}); sending anyway", queue, ex.toString());
			}
		}
	}

	/**
	 * Look again whether a queue exists, and declare it as Celery does if not: a consumer does this on each new
	 * channel, since what was known may have gone with the broker's virtual host.
	 * @param queue the queue
	 */
	void recheck(String queue) {
		forget(queue);
		ensure(queue);
	}

	/**
	 * Forget what is known of a queue, after a send to it failed: the next send looks again.
	 * @param queue the queue
	 */
	void forget(String queue) {
		this.known.remove(queue);
	}

	private void declare(String queue) {
		DirectExchange exchange = new DirectExchange(queue, true, false);
		Queue declared = new Queue(queue, true, false, false);
		this.admin.declareQueue(declared);
		try {
			this.admin.declareExchange(exchange);
			Binding binding = BindingBuilder.bind(declared).to(exchange).with(queue);
			this.admin.declareBinding(binding);
		}
		catch (AmqpException ex) {
			// the queue is there, which is what the send needs; only Celery's extra route to it is missing
			logger.warn("Declared queue '{}' on first send, but not its direct exchange and binding: {}", queue,
					ex.toString());
		}
		logger.info("Declared missing queue '{}' on first send, as Celery does "
				+ "(taskqueue.rabbitmq.create-missing-queues=false turns this off)", queue);
	}

	private static boolean refusedAsInequivalent(Throwable error) {
		AMQP.Channel.@Nullable Close close = channelClose(error);
		return close != null && close.getReplyCode() == AMQP.PRECONDITION_FAILED;
	}

	private static AMQP.Channel.@Nullable Close channelClose(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close) {
				return close;
			}
		}
		return null;
	}

}
