package dev.taskqueue.rabbitmq;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import dev.taskqueue.actuate.HealthOutageSemantics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskQueue} health on RabbitMQ (broker and {@code rpc://} results), whose virtual host of the test's own
 * becomes unreachable as a broker that stops would: every connection to it closed by the broker and no new one let
 * in (guest's permissions on it cleared), until it is back (the permissions given again), its durable queues still
 * there as after a restart. The rest of the node is not touched.
 */
class RabbitHealthIT extends HealthOutageSemantics {

	private static final String VHOST = "taskqueue-it-rabbit-health";

	private RabbitVhost vhost;

	@BeforeEach
	void createVhost() {
		this.vhost = RabbitVhost.create(VHOST);
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + VHOST, "taskqueue.broker=rabbitmq", "taskqueue.result-backend=rpc",
				"taskqueue.default-queue=health" };
	}

	@Override
	protected void takeBrokerAway() {
		RabbitVhost.rabbitmqctl("clear_permissions", "-p", VHOST, "guest");
		this.vhost.closeAllConnections();
	}

	@Override
	protected void bringBrokerBack() {
		RabbitVhost.rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
	}

	@Override
	protected void removeBroker() {
		this.vhost.delete();
	}

	@Override
	protected void assertBrokerDetails(Map<String, Object> details) {
		assertThat(details).containsEntry("type", "RabbitBroker")
			.containsEntry("virtualHost", VHOST)
			.containsKey("version");
	}

}
