package dev.taskqueue.rabbitmq;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.it.CeleryCanvasSemantics;
import dev.taskqueue.it.RedisWorkerApplication;

/**
 * {@link CeleryCanvasSemantics} over RabbitMQ, in a virtual host of its own, results in Redis (a server of the
 * test's own): the chord's join is Redis's whichever broker carries the messages.
 */
class RabbitCeleryCanvasInteropIT extends CeleryCanvasSemantics {

	private final RabbitVhost vhost = RabbitVhost.create("taskqueue-it-rabbit-canvas");

	@Override
	protected void stopped() {
		this.vhost.delete();
	}

	@Override
	protected ConfigurableApplicationContext startJava(int redisPort, String... properties) {
		return new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.properties("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
					"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + this.vhost.name(),
					"taskqueue.broker=rabbitmq", "taskqueue.worker.shutdown-timeout=2s")
			.run();
	}

	@Override
	protected String celeryBroker(int redisPort) {
		return "amqp://guest:guest@127.0.0.1:5672/" + this.vhost.name();
	}

	@Override
	protected String name() {
		return "rabbitmq";
	}

}
