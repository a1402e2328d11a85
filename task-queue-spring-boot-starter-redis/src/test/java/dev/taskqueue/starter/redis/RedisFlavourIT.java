package dev.taskqueue.starter.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.redis.RedisResultBackend;
import dev.taskqueue.result.ResultBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching an application from the in-memory broker to Redis takes the Redis flavour of the starter and two
 * properties, nothing else: the same task then travels through the Redis on 127.0.0.1:6379 (database 11, flushed
 * first, so nothing an earlier run left counts).
 */
class RedisFlavourIT {

	private static final int DATABASE = 11;

	@Test
	void theRedisFlavourAndTwoPropertiesSwitchTheApplicationToRedis() {
		flushDatabase();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FlavourApplication.class)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + DATABASE,
					"taskqueue.broker=redis", "taskqueue.result-backend=redis",
					"taskqueue.default-queue=starter-flavour")
			.run()) {
			assertThat(context.getBean(Broker.class)).isInstanceOf(RedisBroker.class);
			assertThat(context.getBean(ResultBackend.class)).isInstanceOf(RedisResultBackend.class);
			Object sum = context.getBean(TaskClient.class)
				.send("flavour.add", List.of(2, 3), Map.of())
				.get(Duration.ofSeconds(20));
			assertThat(sum).isEqualTo(5);
		}
	}

	private static void flushDatabase() {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration("127.0.0.1", 6379);
		configuration.setDatabase(DATABASE);
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(configuration);
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.serverCommands().flushDb();
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@SpringBootApplication
	static class FlavourApplication {

		@Bean
		FlavourTasks flavourTasks() {
			return new FlavourTasks();
		}

	}

	static class FlavourTasks {

		@Task(name = "flavour.add")
		int add(int a, int b) {
			return a + b;
		}

	}

}
