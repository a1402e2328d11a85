package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.PublishRetry;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A client's send to a RabbitMQ that is down is retried as the publish retry policy says, then fails with a
 * {@link BrokerException} within a second or so. The broker is a port nothing listens on.
 */
class RabbitSendFailureIT {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private CachingConnectionFactory connectionFactory;

	private RabbitBroker broker;

	@AfterEach
	void stop() {
		if (this.broker != null) {
			this.broker.close();
		}
		this.connectionFactory.destroy();
	}

	@Test
	void aSendToABrokerThatIsDownIsRetriedThenFailsWithABrokerException() throws IOException {
		this.connectionFactory = new CachingConnectionFactory("127.0.0.1", closedPort());
		this.broker = new RabbitBroker(this.connectionFactory, new RabbitAdmin(this.connectionFactory),
				RabbitBrokerSettings.defaults(), Clock.systemUTC());
		TaskRegistry registry = new TaskRegistry();
		TaskTemplate client = TaskTemplate
			.builder(this.broker,
					new TaskMessageConverter(new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")),
							Clock.systemUTC()),
					TaskRouter.builder(registry).defaultQueue("sends").build(),
					new InMemoryResultBackend(Duration.ofMinutes(1), Clock.systemUTC()))
			.publishRetry(PublishRetry.DEFAULTS)
			.build();
		long started = System.nanoTime();

		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> client.send("rabbit.task", 1, 2))
			.withMessageContaining("(tried 4 times)");
		// four tries refused at once, and waits of 0, 0.2 and 0.2 seconds
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400),
				Duration.ofSeconds(3));
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
