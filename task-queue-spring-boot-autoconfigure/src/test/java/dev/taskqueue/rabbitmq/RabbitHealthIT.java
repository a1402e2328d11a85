package dev.taskqueue.rabbitmq;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import dev.taskqueue.actuate.HealthOutageSemantics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskQueue} health on RabbitMQ (broker and {@code rpc://} results), whose virtual host of the test's own is
 * deleted (every connection to it closed, every queue gone) and created again, as a broker that is replaced.
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
		this.vhost.delete();
	}

	@Override
	protected void bringBrokerBack() {
		this.vhost = RabbitVhost.create(VHOST);
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
