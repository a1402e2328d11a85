package dev.taskqueue.rabbitmq;

import dev.taskqueue.broker.BrokerException;

/**
 * RabbitMQ refused a declaration of the configured topology, typically because a queue already exists with
 * other arguments.
 */
public class TopologyException extends BrokerException {

	/**
	 * Create an exception.
	 * @param message what was refused and why
	 * @param cause the channel error
	 */
	public TopologyException(String message, Throwable cause) {
		super(message, cause);
	}

}
