package dev.taskqueue.rabbitmq;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.taskqueue.control.ControlClientSemantics;
import dev.taskqueue.control.TaskControl;

/**
 * Java's {@link TaskControl} inspects and steers a Celery 5.2.6 worker over RabbitMQ, in a virtual host of the
 * test's own: the reply queue declared as kombu declares it carries Celery's replies.
 */
class RabbitControlClientIT extends ControlClientSemantics {

	private static RabbitVhost vhost;

	@BeforeAll
	static void startBothSides() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-control-client");
		start("amqp://guest:guest@127.0.0.1:5672/" + vhost.name(), "rabbit-control-client", "taskqueue.broker=rabbitmq",
				"spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
				"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + vhost.name());
	}

	@AfterAll
	static void deleteVhost() throws InterruptedException {
		stop();
		vhost.delete();
	}

	@Override
	protected String transport() {
		return "amqp";
	}

}
