package dev.taskqueue.starter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with only {@code task-queue-spring-boot-starter} (plus Spring MVC and Actuator) and no Redis or
 * RabbitMQ anywhere: it runs tasks on the in-memory broker, carries no client library for a server it does not
 * use, and its health is UP because nothing checks a server nobody runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-components=always" })
class StarterOnlyApplicationTests {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private ApplicationContext context;

	@Test
	void runsTasksOnTheInMemoryBrokerWithNothingInstalled() {
		assertThat(this.context.getBean(Broker.class)).isInstanceOf(InMemoryBroker.class);
		Object sum = this.context.getBean(TaskClient.class)
			.send("starter.add", List.of(2, 3), Map.of())
			.get(Duration.ofSeconds(10));
		assertThat(sum).isEqualTo(5);
	}

	@Test
	void bringsNeitherRedisNorRabbitMqClients() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", classLoader))
			.isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.amqp.rabbit.connection.ConnectionFactory", classLoader))
			.isFalse();
		assertThat(ClassUtils.isPresent("dev.taskqueue.redis.RedisBroker", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("dev.taskqueue.rabbitmq.RabbitBroker", classLoader)).isFalse();
	}

	@Test
	void actuatorHealthIsUpWithNoRedisOrRabbitMqComponent() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		@SuppressWarnings("unchecked")
		Map<String, Object> health = JsonMapper.builder().build().readValue(response.body(), Map.class);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(health.get("status")).isEqualTo("UP");
		assertThat(health.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.isNotEmpty()
			.doesNotContainKeys("redis", "rabbit");
	}

	@SpringBootApplication
	static class StarterOnlyApplication {

		@Bean
		StarterTasks starterTasks() {
			return new StarterTasks();
		}

	}

	static class StarterTasks {

		@Task(name = "starter.add")
		int add(int a, int b) {
			return a + b;
		}

	}

}
