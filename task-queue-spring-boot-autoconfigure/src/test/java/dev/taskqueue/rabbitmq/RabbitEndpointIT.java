package dev.taskqueue.rabbitmq;

import dev.taskqueue.actuate.EndpointSemantics;

/**
 * The {@code taskqueue} endpoint on RabbitMQ (broker and {@code rpc://} results), in a virtual host of the test's
 * own.
 */
class RabbitEndpointIT extends EndpointSemantics {

	private static final String VHOST = "taskqueue-it-rabbit-endpoint";

	private RabbitVhost vhost;

	@Override
	protected void createBroker() {
		this.vhost = RabbitVhost.create(VHOST);
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + VHOST, "taskqueue.broker=rabbitmq", "taskqueue.result-backend=rpc" };
	}

	@Override
	protected void removeBroker() {
		this.vhost.delete();
	}

}
