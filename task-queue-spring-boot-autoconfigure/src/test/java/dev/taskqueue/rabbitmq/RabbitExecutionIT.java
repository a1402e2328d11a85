package dev.taskqueue.rabbitmq;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.redis.LocalRedis;
import dev.taskqueue.it.ExecutionSemantics;
import dev.taskqueue.it.RedisWorkerApplication;

/**
 * {@link ExecutionSemantics} over the RabbitMQ broker (eta and retries parked in its delay queues), with
 * results in Redis so that they outlive a worker restart. It shares Redis database
 * {@link LocalRedis#EXECUTION_DB} with the Redis variant but removes only the runs' records, not the database.
 */
class RabbitExecutionIT extends ExecutionSemantics {

	private static RabbitVhost vhost;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-semantics");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@Override
	protected void clean() {
		LettuceConnectionFactory factory = LocalRedis.connect(LocalRedis.EXECUTION_DB);
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			redis.delete(redis.keys("exec:*"));
		}
		finally {
			factory.destroy();
		}
	}

	@Override
	protected ConfigurableApplicationContext startWorker(String... properties) {
		return new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.EXECUTION_DB,
					"spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
					"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + vhost.name(),
					"taskqueue.broker=rabbitmq", "taskqueue.result-backend=redis",
					"taskqueue.default-queue=it.execution", "taskqueue.worker.concurrency=2",
					"taskqueue.worker.shutdown-timeout=2s")
			.properties(properties)
			.run();
	}

}
