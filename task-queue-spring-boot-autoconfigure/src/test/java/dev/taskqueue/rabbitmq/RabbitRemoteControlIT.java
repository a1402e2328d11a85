package dev.taskqueue.rabbitmq;

import java.util.List;

import dev.taskqueue.control.RemoteControlSemantics;

/**
 * Celery's remote control of a Java worker on RabbitMQ: a virtual host of the test's own, results through
 * Celery's {@code rpc://}.
 */
class RabbitRemoteControlIT extends RemoteControlSemantics {

	private RabbitVhost vhost;

	@Override
	protected void startBroker() {
		this.vhost = RabbitVhost.create("taskqueue-it-remote-control");
	}

	@Override
	protected void stopBroker() {
		if (this.vhost != null) {
			this.vhost.delete();
		}
	}

	@Override
	protected List<String> brokerProperties() {
		return List.of("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
				"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + this.vhost.name(),
				"taskqueue.broker=rabbitmq", "taskqueue.result-backend=rpc");
	}

	@Override
	protected String brokerUrl() {
		return "amqp://guest:guest@127.0.0.1:5672/" + this.vhost.name();
	}

	@Override
	protected String transport() {
		return "amqp";
	}

}
