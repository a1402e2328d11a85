package dev.taskqueue.sqs;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.it.RedisWorkerApplication;
import dev.taskqueue.process.JvmProcesses;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At least once on SQS, with real processes: a worker killed with SIGKILL in the middle of a task loses nothing.
 * While it lives it keeps its messages invisible beyond the visibility timeout; once it is dead they reappear and
 * run to the end on another worker. ElasticMQ in this JVM, results and the tasks' records in a Redis of the
 * test's own.
 */
class SqsWorkerKillIT {

	private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

	private static final String QUEUE = "it-kill-sqs";

	private final JvmProcesses workers = new JvmProcesses("target/worker-processes", getClass());

	private ElasticMqServer sqs;

	private OwnRedisServer redisServer;

	private ConfigurableApplicationContext client;

	private StringRedisTemplate redis;

	@BeforeEach
	void start() {
		this.sqs = ElasticMqServer.start();
		this.redisServer = OwnRedisServer.start();
		SqsClient sqsClient = this.sqs.client();
		this.client = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("sqsClient", sqsClient))
			.properties(commonProperties())
			.properties("taskqueue.worker.enabled=false")
			.run();
		this.redis = this.client.getBean(StringRedisTemplate.class);
	}

	@AfterEach
	void stopEverything() {
		try {
			this.workers.killAll();
			this.client.close();
		}
		finally {
			this.redisServer.close();
			this.sqs.close();
		}
	}

	@Test
	void aTaskOfAKilledWorkerCompletesOnAnotherWorkerOnceItsVisibilityTimeoutExpires() throws Exception {
		Process first = startWorker("first");
		TaskClient tasks = this.client.getBean(TaskClient.class);
		AsyncResult<Object> longTask = tasks.send("it.slow", List.of("long", 120), Map.of());
		await().atMost(Duration.ofSeconds(60)).until(() -> started().contains("long@" + first.pid()));

		Process second = startWorker("second");
		await().atMost(Duration.ofSeconds(60)).until(() -> output("second").contains("consuming [" + QUEUE + "]"));
		// the first worker is alive and working: it keeps the message invisible beyond the visibility timeout
		await().during(VISIBILITY_TIMEOUT.multipliedBy(2)).atMost(Duration.ofSeconds(30))
			.until(() -> started().equals(List.of("long@" + first.pid())));

		JvmProcesses.kill(first);

		Map<?, ?> longResult = (Map<?, ?>) longTask.get(Duration.ofSeconds(60));
		assertThat(((Number) longResult.get("pid")).longValue()).isEqualTo(second.pid());
		assertThat(started()).containsExactly("long@" + first.pid(), "long@" + second.pid() + " again");
		assertThat(this.redis.opsForList().range("it:completed", 0, -1)).containsExactly("long@" + second.pid());
	}

	private List<String> started() {
		return this.redis.opsForList().range("it:started", 0, -1);
	}

	private Process startWorker(String name) throws IOException {
		List<String> all = new ArrayList<>(List.of(commonProperties()));
		all.addAll(List.of("taskqueue.worker.name=" + name, "taskqueue.worker.concurrency=1",
				"taskqueue.worker.prefetch=1"));
		// ElasticMQ takes any credentials; the worker's SDK finds these in its environment
		return this.workers.start(name, RedisWorkerApplication.class, all,
				Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
	}

	private String output(String name) throws IOException {
		return this.workers.output(name);
	}

	private String[] commonProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.redisServer.port(),
				"taskqueue.broker=sqs", "taskqueue.result-backend=redis", "taskqueue.default-queue=" + QUEUE,
				"taskqueue.sqs.endpoint=" + this.sqs.endpoint(), "taskqueue.sqs.region=" + ElasticMqServer.REGION.id(),
				"taskqueue.sqs.wait-time=1s",
				"taskqueue.sqs.visibility-timeout=" + VISIBILITY_TIMEOUT.toSeconds() + "s" };
	}

}
